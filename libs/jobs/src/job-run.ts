import type { Job } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { InTransaction, JobContext, JobRowError } from './job-processor';
import type { ClaimedJob, JobStore } from './job-store';
import { completedProgress, JobProgress, progressOf, Throttle } from './progress';

/** Row errors kept in memory before they are written without waiting for a checkpoint. */
const ERROR_BUFFER = 1000;

/** One attempt at a job: the context its processor sees, plus the bookkeeping of its end. */
export class JobRun<TRequest = unknown, TCheckpoint = unknown> implements JobContext<TRequest, TCheckpoint> {
  readonly kind: string;
  readonly request: TRequest;
  readonly attempt: number;
  private saved: TCheckpoint | null;
  private current: JobProgress;
  private unsavedProgress = false;
  private pendingErrors: JobRowError[] = [];
  private readonly writes: Throttle;

  constructor(
    private readonly store: JobStore,
    private readonly queueEntry: Job,
    readonly jobId: string,
    private readonly runToken: string,
    claimed: ClaimedJob,
    progressIntervalMs: number,
  ) {
    this.kind = claimed.kind;
    this.request = claimed.request as TRequest;
    this.attempt = claimed.attempts;
    this.saved = (claimed.checkpoint ?? null) as TCheckpoint | null;
    this.current = claimed.progress;
    this.writes = new Throttle(progressIntervalMs);
  }

  get checkpoint(): TCheckpoint | null {
    return this.saved;
  }

  async saveCheckpoint(checkpoint: TCheckpoint, options?: InTransaction): Promise<void> {
    await this.store.inTransaction(options?.manager, async (manager) => {
      await this.writePendingErrors(manager);
      await this.store.saveCheckpoint(manager, this.jobId, this.runToken, checkpoint, this.current);
    });
    this.saved = checkpoint;
    this.unsavedProgress = false;
    this.writes.reset();
    await this.publishProgress();
  }

  async progress(done: number, total?: number | null, options?: InTransaction): Promise<void> {
    this.current = progressOf(done, total === undefined ? this.current.total : total);
    this.unsavedProgress = true;
    if (options?.manager) {
      // In the caller's transaction, which may already hold the job row: never a second connection.
      await this.store.saveProgress(this.jobId, this.runToken, this.current, options.manager);
      this.unsavedProgress = false;
      this.writes.reset();
      await this.publishProgress();
      return;
    }
    if (this.writes.pass()) await this.writeProgress();
  }

  async addErrors(errors: readonly JobRowError[], options?: InTransaction): Promise<void> {
    errors.forEach(checkRowError);
    if (options?.manager) {
      await this.store.addErrors(options.manager, this.jobId, this.runToken, errors);
      return;
    }
    this.pendingErrors.push(...errors);
    if (this.pendingErrors.length >= ERROR_BUFFER) {
      await this.store.inTransaction(undefined, (manager) => this.writePendingErrors(manager));
    }
  }

  async heartbeat(): Promise<void> {
    if (this.writes.pass()) {
      if (this.unsavedProgress) await this.writeProgress();
      else await this.store.touch(this.jobId, this.runToken);
    }
    // A processor that never awaits I/O would starve BullMQ's lock renewal timer.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Stores the processor's result and marks the job completed. */
  async complete(result: unknown): Promise<void> {
    await this.store.inTransaction(undefined, (manager) => this.writePendingErrors(manager));
    this.current = completedProgress(this.current);
    await this.store.complete(this.jobId, this.runToken, result, this.current);
    await this.publishProgress();
  }

  /**
   * Records the attempt's failure: for good when `final`, else the job waits for its retry.
   * False when another attempt owns the job (nothing was recorded).
   */
  async fail(reason: string, final: boolean): Promise<boolean> {
    // Errors found before the failure are still worth showing; losing them must not hide the reason.
    await this.store
      .inTransaction(undefined, (manager) => this.writePendingErrors(manager))
      .catch(() => undefined);
    return this.store.failAttempt(this.jobId, this.runToken, reason, final, this.current);
  }

  private async writePendingErrors(manager: EntityManager): Promise<void> {
    if (this.pendingErrors.length === 0) return;
    const errors = this.pendingErrors;
    this.pendingErrors = [];
    await this.store.addErrors(manager, this.jobId, this.runToken, errors);
  }

  private async writeProgress(): Promise<void> {
    // Not written while a transaction of this attempt holds the job row; the next checkpoint or write carries it.
    if (!(await this.store.saveProgress(this.jobId, this.runToken, this.current))) return;
    this.unsavedProgress = false;
    await this.publishProgress();
  }

  /** Mirrors progress to BullMQ for queue dashboards; PostgreSQL stays the source of truth. */
  private async publishProgress(): Promise<void> {
    await this.queueEntry.updateProgress({ ...this.current }).catch(() => undefined);
  }
}

function checkRowError(e: JobRowError, index: number): void {
  if (!e || !Number.isInteger(e.row) || typeof e.field !== 'string' || typeof e.message !== 'string') {
    throw new TypeError(
      `Row error #${index} must be { row: integer, field: string, message: string }, got ${JSON.stringify(e)}`,
    );
  }
}
