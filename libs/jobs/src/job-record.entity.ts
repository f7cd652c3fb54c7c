import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { JobProgress } from './progress';

/** Where a job is in its life; `queued` also covers the wait between a failed attempt and its retry. */
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Every job status, in life order. */
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed'];

/**
 * The durable record of a job (table `job`). Redis holds only the queue entry; everything a
 * user or the reconciler needs (request, progress, checkpoint, outcome) lives here.
 */
@Entity({ name: 'job' })
@Index('job_created_idx', ['createdAt', 'id'])
@Index('job_kind_created_idx', ['kind', 'createdAt', 'id'])
@Index('job_unfinished_idx', ['id'], { where: `status IN ('queued', 'running')` })
@Check('job_status_check', `status IN ('queued', 'running', 'completed', 'failed')`)
export class JobRecord {
  /** `<service>-<uuid>`; also the BullMQ job id. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  status: JobStatus;

  @Column({ type: 'jsonb' })
  request: unknown;

  @Column({ type: 'jsonb', default: { percent: 0, done: 0, total: null } })
  progress: JobProgress;

  @Column({ type: 'jsonb', nullable: true })
  result: unknown;

  /** The processor's last saved resume point. */
  @Column({ type: 'jsonb', nullable: true })
  checkpoint: unknown;

  /** Why the job failed for good. */
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  /** The error of the latest failed attempt, kept while the job waits for a retry. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Attempts started, across retries and re-enqueues. */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'error_count', type: 'int', default: 0 })
  errorCount: number;

  /** Fencing token of the attempt that owns the job; writes of any other attempt are refused. */
  @Column({ name: 'run_token', type: 'uuid', nullable: true })
  runToken: string | null;

  /** The states whose data the job reads or writes; empty for a national job (see job-access.ts). */
  @Column({ name: 'state_codes', type: 'text', array: true, default: () => "'{}'" })
  stateCodes: string[];

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId: string;

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** One problem found in one row of a job's input (table `job_error`). */
@Entity({ name: 'job_error' })
@Index('job_error_entry_key', ['jobId', 'row', 'field', 'message'], { unique: true })
export class JobErrorRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId: string;

  @ManyToOne(() => JobRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'job_error_job_id_fkey' })
  job?: JobRecord;

  @Column({ type: 'int' })
  row: number;

  @Column({ type: 'text' })
  field: string;

  @Column({ type: 'text' })
  message: string;
}

/** The entities of this library, to add to a service DataSource's `entities`. */
export const JobsEntities = [JobRecord, JobErrorRecord];
