import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { JobErrorRecord, JobRecord, JobStatus } from './job-record.entity';
import type { JobRowError } from './job-processor';
import { JobSupersededError } from './jobs.errors';
import type { JobReadScope } from './job-access';
import type { JobProgress } from './progress';

/** The stored fields a new job starts with. */
export interface NewJobRow {
  id: string;
  kind: string;
  request: unknown;
  /** The states whose data the job touches; empty for a national job. */
  stateCodes: readonly string[];
  createdBy: string | null;
  correlationId: string;
  causationId: string | null;
}

/** What an attempt needs to run, read when it claims the job. */
export interface ClaimedJob {
  kind: string;
  request: unknown;
  checkpoint: unknown;
  progress: JobProgress;
  attempts: number;
  createdBy: string | null;
  correlationId: string;
  causationId: string | null;
}

/** Filters of a job listing. */
export interface JobFilter {
  kind?: string;
  status?: JobStatus;
  /** Only the jobs this caller may read. */
  scope?: JobReadScope;
}

interface ClaimRow {
  kind: string;
  request: unknown;
  checkpoint: unknown;
  progress: JobProgress;
  attempts: number;
  created_by: string | null;
  correlation_id: string;
  causation_id: string | null;
}

// The unique index over (job_id, row, field, message) must fit a btree entry (about 2.7 kB).
const MAX_FIELD_CHARS = 100;
const MAX_MESSAGE_CHARS = 500;
const ERROR_INSERT_BATCH = 5000;
const MAX_REASON_CHARS = 2000;

/**
 * Reads and writes of `job` and `job_error`. Writes made on behalf of a running attempt are
 * fenced by its run token: they change nothing and throw `JobSupersededError` once another
 * attempt has claimed the job or the job has finished.
 */
@Injectable()
export class JobStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the service's DataSource, outside any transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Runs `work` in the caller's transaction when given its manager, otherwise in a new one. */
  inTransaction<T>(
    manager: EntityManager | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Stores a new queued job, in the caller's transaction when `manager` belongs to one. */
  async insert(manager: EntityManager, row: NewJobRow): Promise<void> {
    await manager.query(
      `INSERT INTO job (id, kind, status, request, state_codes, created_by, correlation_id, causation_id)
       VALUES ($1, $2, 'queued', $3::jsonb, $4::text[], $5, $6, $7)`,
      [row.id, row.kind, toJson(row.request ?? null), row.stateCodes, row.createdBy, row.correlationId, row.causationId],
    );
  }

  /** One job, or null. */
  find(id: string): Promise<JobRecord | null> {
    return this.dataSource.getRepository(JobRecord).findOneBy({ id });
  }

  /** A page of jobs, newest first, without their requests, results and checkpoints. */
  async list(filter: JobFilter, offset: number, limit: number): Promise<[JobRecord[], number]> {
    const query = this.dataSource
      .getRepository(JobRecord)
      .createQueryBuilder('j')
      .select(
        [
          'id',
          'kind',
          'status',
          'progress',
          'errorCount',
          'failureReason',
          'lastError',
          'attempts',
          'stateCodes',
          'createdBy',
          'createdAt',
          'startedAt',
          'finishedAt',
          'updatedAt',
        ].map((field) => `j.${field}`),
      )
      .orderBy('j.createdAt', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .offset(offset)
      .limit(limit);
    if (filter.kind !== undefined) query.andWhere('j.kind = :kind', { kind: filter.kind });
    if (filter.status !== undefined) query.andWhere('j.status = :status', { status: filter.status });
    const scope = filter.scope;
    if (scope && !scope.all) {
      // A job of states is readable when every one of them is the caller's; a national one when she may read those.
      query.andWhere(
        new Brackets((either) => {
          either.where(`(cardinality(j.state_codes) > 0 AND j.state_codes <@ :states::text[])`, {
            states: [...scope.states],
          });
          if (scope.nationalJobs) either.orWhere('cardinality(j.state_codes) = 0');
        }),
      );
    }
    return query.getManyAndCount();
  }

  /** A slice of a job's row errors, in row order. */
  async errors(jobId: string, offset: number, limit: number): Promise<JobRowError[]> {
    if (limit === 0) return [];
    return this.dataSource
      .getRepository(JobErrorRecord)
      .createQueryBuilder('e')
      .select(['e.row', 'e.field', 'e.message'])
      .where('e.job_id = :jobId', { jobId })
      .orderBy('e.row', 'ASC')
      .addOrderBy('e.field', 'ASC')
      .addOrderBy('e.message', 'ASC')
      .offset(offset)
      .limit(limit)
      .getMany()
      .then((rows) => rows.map(({ row, field, message }) => ({ row, field, message })));
  }

  /**
   * Claims a queued or running job for a new attempt identified by `runToken`, and returns what
   * it needs; null when the job is unknown or already finished.
   */
  async claim(id: string, runToken: string): Promise<ClaimedJob | null> {
    const { rows } = await exec(
      this.dataSource.manager,
      `UPDATE job
          SET status = 'running', run_token = $2, attempts = attempts + 1,
              started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING kind, request, checkpoint, progress, attempts, created_by, correlation_id, causation_id`,
      [id, runToken],
    );
    const r = rows[0] as ClaimRow | undefined;
    if (!r) return null;
    return {
      kind: r.kind,
      request: r.request,
      checkpoint: r.checkpoint,
      progress: r.progress,
      attempts: r.attempts,
      createdBy: r.created_by,
      correlationId: r.correlation_id,
      causationId: r.causation_id,
    };
  }

  /** Saves the resume point (and progress) of the owning attempt. */
  async saveCheckpoint(
    manager: EntityManager,
    id: string,
    runToken: string,
    checkpoint: unknown,
    progress: JobProgress,
  ): Promise<void> {
    await fenced(
      manager,
      id,
      `UPDATE job SET checkpoint = $3::jsonb, progress = $4::jsonb, updated_at = now()
        WHERE id = $1 AND run_token = $2 AND status = 'running'`,
      [id, runToken, toJson(checkpoint ?? null), toJson(progress)],
    );
  }

  /**
   * Saves the progress of the owning attempt; returns false when it could not be written now.
   * With `manager` it is written in that transaction (a chunk's, which may already hold the job
   * row). Without one it never waits for the job row: while a transaction holds it (this
   * attempt's chunk between addErrors/saveCheckpoint and its commit — waiting would deadlock
   * the attempt against itself) nothing is written, and the next checkpoint carries the progress.
   */
  async saveProgress(id: string, runToken: string, progress: JobProgress, manager?: EntityManager): Promise<boolean> {
    if (manager) {
      await fenced(
        manager,
        id,
        `UPDATE job SET progress = $3::jsonb, updated_at = now()
          WHERE id = $1 AND run_token = $2 AND status = 'running'`,
        [id, runToken, toJson(progress)],
      );
      return true;
    }
    return this.updateUnlessBusy(id, runToken, `progress = $3::jsonb, updated_at = now()`, [toJson(progress)]);
  }

  /** Records that the owning attempt is alive; like {@link saveProgress}, never waits for the job row. */
  async touch(id: string, runToken: string): Promise<boolean> {
    return this.updateUnlessBusy(id, runToken, `updated_at = now()`, []);
  }

  /**
   * Updates the owning attempt's job row unless a transaction holds it (false then); throws
   * JobSupersededError when another attempt owns the job.
   */
  private async updateUnlessBusy(id: string, runToken: string, set: string, params: unknown[]): Promise<boolean> {
    const [row] = await this.dataSource.query<{ free: number; updated: number }[]>(
      `WITH free AS (SELECT id FROM job WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED),
            updated AS (UPDATE job SET ${set} WHERE id IN (SELECT id FROM free) AND run_token = $2 AND status = 'running' RETURNING 1)
       SELECT (SELECT count(*) FROM free)::int AS free, (SELECT count(*) FROM updated)::int AS updated`,
      [id, runToken, ...params],
    );
    if (row.free === 0) return false;
    if (row.updated === 0) throw new JobSupersededError(id);
    return true;
  }

  /**
   * Adds row errors for the owning attempt in batches, skipping ones already stored (a chunk
   * redone after a crash reports the same errors again), and keeps `error_count` in step.
   */
  async addErrors(
    manager: EntityManager,
    id: string,
    runToken: string,
    errors: readonly JobRowError[],
  ): Promise<void> {
    for (let i = 0; i < errors.length; i += ERROR_INSERT_BATCH) {
      const batch = errors.slice(i, i + ERROR_INSERT_BATCH);
      await fenced(
        manager,
        id,
        `WITH owner AS (
           SELECT id FROM job WHERE id = $1 AND run_token = $2 AND status = 'running' FOR UPDATE
         ), added AS (
           INSERT INTO job_error (job_id, "row", field, message)
           SELECT owner.id, e.row, e.field, e.message
             FROM owner, unnest($3::int[], $4::text[], $5::text[]) AS e("row", field, message)
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
         UPDATE job SET error_count = error_count + (SELECT count(*) FROM added), updated_at = now()
          WHERE id IN (SELECT id FROM owner)`,
        [
          id,
          runToken,
          batch.map((e) => e.row),
          batch.map((e) => e.field.slice(0, MAX_FIELD_CHARS)),
          batch.map((e) => e.message.slice(0, MAX_MESSAGE_CHARS)),
        ],
      );
    }
  }

  /** Marks the owning attempt's job completed with its result. */
  async complete(id: string, runToken: string, result: unknown, progress: JobProgress): Promise<void> {
    await fenced(
      this.dataSource.manager,
      id,
      `UPDATE job SET status = 'completed', result = $3::jsonb, progress = $4::jsonb,
              failure_reason = NULL, finished_at = now(), updated_at = now()
        WHERE id = $1 AND run_token = $2 AND status = 'running'`,
      [id, runToken, toJson(result ?? null), toJson(progress)],
    );
  }

  /**
   * Records a failed attempt: the job fails for good when `final`, otherwise it goes back to
   * `queued` until BullMQ retries it. Does nothing, and answers false, if the attempt no longer
   * owns the job.
   */
  async failAttempt(
    id: string,
    runToken: string,
    reason: string,
    final: boolean,
    progress: JobProgress,
  ): Promise<boolean> {
    const text = reason.slice(0, MAX_REASON_CHARS);
    const { count } = await exec(
      this.dataSource.manager,
      final
        ? `UPDATE job SET status = 'failed', failure_reason = $3, last_error = $3, progress = $4::jsonb,
                  finished_at = now(), updated_at = now()
            WHERE id = $1 AND run_token = $2 AND status = 'running'`
        : `UPDATE job SET status = 'queued', last_error = $3, progress = $4::jsonb, updated_at = now()
            WHERE id = $1 AND run_token = $2 AND status = 'running'`,
      [id, runToken, text, toJson(progress)],
    );
    return count > 0;
  }

  /** Fails a job that is still queued or running, whoever owns it (BullMQ gave up on it). */
  async failUnfinished(id: string, reason: string): Promise<boolean> {
    const { count } = await exec(
      this.dataSource.manager,
      `UPDATE job SET status = 'failed', failure_reason = $2, last_error = $2, finished_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, reason.slice(0, MAX_REASON_CHARS)],
    );
    return count > 0;
  }

  /** Queued or running jobs with an id after `afterId`, in id order. */
  async unfinished(afterId: string, limit: number): Promise<{ id: string; kind: string }[]> {
    return this.dataSource.manager.query<{ id: string; kind: string }[]>(
      `SELECT id, kind FROM job WHERE status IN ('queued', 'running') AND id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Whether a job is still queued or running. */
  async isUnfinished(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.manager.query(
      `SELECT 1 FROM job WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return rows.length > 0;
  }
}

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Runs a statement and returns its rows and affected-row count, whatever its kind. */
async function exec(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<{ rows: unknown[]; count: number }> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    const rows: unknown[] = result.records ?? [];
    return { rows, count: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

async function fenced(manager: EntityManager, id: string, sql: string, params: unknown[]): Promise<void> {
  const { count } = await exec(manager, sql, params);
  if (count === 0) throw new JobSupersededError(id);
}
