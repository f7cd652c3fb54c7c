import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { currentContext, isStateCode } from '@imb/contracts';
import { AfterCommitHooks } from './after-commit';
import type { JobReadScope } from './job-access';
import { newJobId, parseJobId } from './job-id';
import type { JobRowError } from './job-processor';
import { JobRecord, JobStatus } from './job-record.entity';
import { JobStore } from './job-store';
import { describeError } from './jobs.errors';
import { JobsQueue } from './jobs-queue';
import { JOBS_OPTIONS, ResolvedJobsOptions } from './jobs.options';
import { Page, PageRequest, pageWindow } from './pagination';
import type { JobProgress } from './progress';
import { within } from './within';

/** A job as listed: everything but its request, result and errors. */
export interface JobSummary {
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  errorCount: number;
  failureReason: string | null;
  /** The error of the latest failed attempt, while the job waits to be retried. */
  lastError: string | null;
  attempts: number;
  /** The states whose data the job touches; empty for a national job. */
  stateCodes: string[];
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

/** A job in full, with its first row errors. */
export interface JobView extends JobSummary {
  request: unknown;
  result: unknown;
  /** The first errors in row order (`errorsInView` of them); page the rest with `errors()`. */
  errors: JobRowError[];
}

/** Filters and page of a job listing. */
export interface ListJobsRequest extends PageRequest {
  kind?: string;
  status?: JobStatus;
  /** Only the jobs this caller may read (see job-access.ts); every job when absent. */
  scope?: JobReadScope;
}

/**
 * Where a job belongs, which decides who may read it (see job-access.ts): `stateCode` for a job
 * of one state, `null` for a national one (demand, consolidation, allocation…), or `stateCodes`
 * for a job over several states (a formalization campaign's).
 */
export type JobStates = { stateCode: string | null } | { stateCodes: readonly string[] };

/** Options of `enqueue`: the job's states, and optionally the caller's transaction. */
export type EnqueueOptions = JobStates & {
  /**
   * The manager of the caller's transaction: the job record commits or rolls back with the
   * caller's writes, and the queue entry is added only after commit.
   */
  manager?: EntityManager;
};

const KIND_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** How long `enqueue` waits for Redis before leaving the job to the reconciler. */
const QUEUE_ADD_WAIT_MS = 2000;

/** Starts jobs and reads their records. */
@Injectable()
export class JobsService implements OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  private readonly afterCommit = new AfterCommitHooks();

  constructor(
    @Inject(JOBS_OPTIONS) private readonly options: ResolvedJobsOptions,
    private readonly store: JobStore,
    private readonly queue: JobsQueue,
    private readonly dataSource: DataSource,
  ) {
    dataSource.subscribers.push(this.afterCommit);
  }

  onModuleDestroy(): void {
    const at = this.dataSource.subscribers.indexOf(this.afterCommit);
    if (at >= 0) this.dataSource.subscribers.splice(at, 1);
  }

  /** The service that owns this module's jobs. */
  get service(): string {
    return this.options.service;
  }

  /**
   * Stores a queued job and adds it to the queue; returns its id. The record carries the
   * current execution context (correlation id, causation id, actor) into the processor.
   *
   * With `manager`, the record is written in the caller's transaction and the queue entry added
   * after it commits. A process that dies between commit and enqueue leaves a record with no
   * queue entry: the reconciler enqueues it at its next pass. The same holds when Redis is
   * unreachable: the job is accepted and enqueued once Redis is back.
   */
  async enqueue(kind: string, request: unknown, options: EnqueueOptions): Promise<string> {
    if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) {
      throw new Error(`Job kind must be 1-100 letters, digits, ".", "_" or "-", got ${JSON.stringify(kind)}`);
    }
    const stateCodes = statesOf(options);
    const id = newJobId(this.options.service);
    const ctx = currentContext();
    const manager = options.manager ?? this.store.manager;
    await this.store.insert(manager, {
      id,
      kind,
      request,
      stateCodes,
      createdBy: ctx?.actor ?? null,
      correlationId: ctx?.correlationId ?? randomUUID(),
      causationId: ctx?.causationId ?? null,
    });
    const runner = options.manager?.queryRunner;
    if (runner?.isTransactionActive) {
      this.afterCommit.add(runner, () => void this.addToQueue(kind, id));
    } else {
      await this.addToQueue(kind, id);
    }
    return id;
  }

  /** A job with its first row errors, or null when this service has no job with that id. */
  async get(id: string): Promise<JobView | null> {
    if (!this.owns(id)) return null;
    const record = await this.store.find(id);
    if (!record) return null;
    const errors = await this.store.errors(id, 0, this.options.errorsInView);
    return { ...summaryOf(record), request: record.request, result: record.result ?? null, errors };
  }

  /** A job without its request, result and errors (cheap to poll), or null. */
  async summary(id: string): Promise<JobSummary | null> {
    if (!this.owns(id)) return null;
    const record = await this.store.find(id);
    return record ? summaryOf(record) : null;
  }

  /** Jobs, newest first, optionally of one kind and status. */
  async list(req: ListJobsRequest = {}): Promise<Page<JobSummary>> {
    const { page, pageSize, offset, limit } = pageWindow(req);
    const [records, total] = await this.store.list({ kind: req.kind, status: req.status, scope: req.scope }, offset, limit);
    return { items: records.map(summaryOf), total, page, pageSize };
  }

  /** A page of a job's row errors in row order, or null when this service has no job with that id. */
  async errors(id: string, req: PageRequest = {}): Promise<Page<JobRowError> | null> {
    const { page, pageSize, offset, limit } = pageWindow(req);
    if (!this.owns(id)) return null;
    const record = await this.store.find(id);
    if (!record) return null;
    const items = await this.store.errors(id, offset, limit);
    return { items, total: record.errorCount, page, pageSize };
  }

  private owns(id: string): boolean {
    return parseJobId(id)?.service === this.options.service;
  }

  private async addToQueue(kind: string, id: string): Promise<void> {
    let problem: string;
    try {
      if ((await within(this.queue.add(kind, id), QUEUE_ADD_WAIT_MS)).settled) return;
      problem = `Redis did not answer within ${QUEUE_ADD_WAIT_MS} ms`;
    } catch (err) {
      problem = describeError(err);
    }
    this.logger.warn(
      `Job ${id} is stored but may not be queued yet (${problem}); the reconciler will queue it`,
    );
  }
}

/** The job's state codes, checked, without repeats and sorted; throws unless they are INEGI codes. */
function statesOf(options: Partial<{ stateCode: string | null; stateCodes: readonly string[] }> = {}): string[] {
  const given = options.stateCodes ?? (options.stateCode === null ? [] : [options.stateCode]);
  if (!Array.isArray(given) || !given.every((code) => isStateCode(code))) {
    throw new Error(
      `enqueue needs the job's states: { stateCode: '01'..'32' }, { stateCode: null } for a national job, or { stateCodes: [...] }; got ${JSON.stringify(given)}`,
    );
  }
  return [...new Set(given)].sort();
}

function summaryOf(r: JobRecord): JobSummary {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    errorCount: r.errorCount,
    failureReason: r.failureReason,
    lastError: r.lastError,
    attempts: r.attempts,
    stateCodes: r.stateCodes,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    updatedAt: r.updatedAt,
  };
}
