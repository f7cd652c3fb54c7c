import type { EntityManager } from 'typeorm';

/** One problem in one row of a job's input. `row` is as the user sees it (e.g. the spreadsheet row). */
export interface JobRowError {
  row: number;
  field: string;
  message: string;
}

/** Lets a write join the caller's transaction, so it commits or rolls back with the caller's own writes. */
export interface InTransaction {
  manager?: EntityManager;
}

/** What a processor gets for one attempt at a job. */
export interface JobContext<TRequest = unknown, TCheckpoint = unknown> {
  readonly jobId: string;
  readonly kind: string;
  /** The request given to `enqueue`, as stored in PostgreSQL. */
  readonly request: TRequest;
  /** The last checkpoint saved by any attempt at this job, or null on a first run. */
  readonly checkpoint: TCheckpoint | null;
  /** 1 on the first attempt; counts retries and re-enqueues. */
  readonly attempt: number;
  /**
   * Records the point to resume from. Pass the manager of the transaction that wrote the chunk
   * so chunk and checkpoint commit together: then a chunk is never applied twice. Also writes
   * pending progress and row errors. Throws `JobSupersededError` when another attempt owns the job.
   */
  saveCheckpoint(checkpoint: TCheckpoint, options?: InTransaction): Promise<void>;
  /**
   * Reports `done` of `total` units (total kept from the last call when omitted). With a manager
   * it is written in that transaction (say, the chunk's, after addErrors/saveCheckpoint with the
   * same manager). Without one writes are throttled and never wait: while a transaction holds the
   * job row the write is left to the next checkpoint or progress call.
   */
  progress(done: number, total?: number | null, options?: InTransaction): Promise<void>;
  /**
   * Records per-row errors. With a manager they are written in that transaction; without one they
   * are buffered and written in batches (at the latest with the next checkpoint or at the end).
   */
  addErrors(errors: readonly JobRowError[], options?: InTransaction): Promise<void>;
  /** Tells the record the job is alive (never waiting for the job row) and yields to the event loop; call it inside long loops. */
  heartbeat(): Promise<void>;
}

/** Code that runs jobs of one kind. Its return value is stored as the job's result (JSON). */
export interface JobProcessor<TRequest = unknown, TResult = unknown, TCheckpoint = unknown> {
  kind: string;
  run(ctx: JobContext<TRequest, TCheckpoint>): Promise<TResult>;
  /**
   * Called once the job is finished for good — completed, or failed for good — by the attempt
   * that recorded it: the place to delete the job's input (an uploaded file). Never for an
   * attempt cut short (it runs again and reads its input again) nor for one another attempt took
   * over (Redis lost the job and it was queued again): that one's owner finishes it. A failure
   * here is logged, not the job's.
   */
  finished?(ctx: JobContext<TRequest, TCheckpoint>): Promise<void>;
}
