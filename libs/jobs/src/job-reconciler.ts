import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobStore } from './job-store';
import { describeError } from './jobs.errors';
import { JobsQueue } from './jobs-queue';
import { JOBS_OPTIONS, ResolvedJobsOptions } from './jobs.options';
import { within } from './within';

/** What one reconciliation pass found and did. */
export interface ReconcileReport {
  /** Queued or running job records looked at. */
  checked: number;
  /** Jobs put back in the queue because Redis had lost them. */
  requeued: string[];
  /** Jobs BullMQ had given up on, now recorded as failed. */
  failed: string[];
}

const SCAN_BATCH = 500;
/** How long shutdown waits for a pass in progress (one stuck on an unreachable Redis never ends). */
const SHUTDOWN_WAIT_MS = 5000;

/**
 * Makes Redis agree with PostgreSQL, which is the source of truth. Redis runs without
 * persistence, so a restart loses every queue entry; and a job enqueued inside a caller's
 * transaction is added to the queue only after commit, so a crash in between leaves a record
 * with no entry. For each queued or running record the reconciler:
 * - re-adds the entry (same id) when Redis has none: the processor resumes from its checkpoint;
 * - records the job as failed when BullMQ has failed it but the record was not updated;
 * - leaves waiting, delayed and active entries to BullMQ (a dead worker's active job is moved
 *   back to waiting by BullMQ's stalled-job check, up to `maxStalledCount` times).
 * Every step is idempotent: adding an id already in the queue is a no-op, and state is read
 * again just before acting, so several processes may reconcile at once.
 */
@Injectable()
export class JobReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobReconciler.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<ReconcileReport>;
  private stopping = false;

  constructor(
    @Inject(JOBS_OPTIONS) private readonly options: ResolvedJobsOptions,
    private readonly store: JobStore,
    private readonly queue: JobsQueue,
  ) {}

  /** Starts the first pass without waiting for it, so a service boots while Redis is away. */
  onApplicationBootstrap(): void {
    if (!this.options.reconcile) return;
    void this.reconcileAndLog();
    if (this.options.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => void this.reconcileAndLog(), this.options.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.stopping = true;
    if (this.pass) await within(this.pass, SHUTDOWN_WAIT_MS).catch(() => undefined);
  }

  /** Runs one pass now; a call during a pass shares that pass. */
  reconcile(): Promise<ReconcileReport> {
    this.pass ??= this.scan().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  private async reconcileAndLog(): Promise<void> {
    try {
      const report = await this.reconcile();
      if (report.requeued.length || report.failed.length) {
        this.logger.warn(
          `Reconciled ${report.checked} unfinished jobs: re-enqueued ${report.requeued.length}` +
            `${report.requeued.length ? ` (${report.requeued.join(', ')})` : ''}, failed ${report.failed.length}`,
        );
      }
    } catch (err) {
      this.logger.error(
        `Reconciliation of ${this.options.queueName} failed, will retry: ${describeError(err)}`,
      );
    }
  }

  private async scan(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, requeued: [], failed: [] };
    let after = '';
    for (;;) {
      const rows = await this.store.unfinished(after, SCAN_BATCH);
      if (rows.length === 0) return report;
      for (const { id, kind } of rows) {
        if (this.stopping) return report;
        report.checked += 1;
        await this.reconcileOne(id, kind, report);
      }
      after = rows[rows.length - 1].id;
    }
  }

  private async reconcileOne(id: string, kind: string, report: ReconcileReport): Promise<void> {
    const state = await this.queue.state(id);
    switch (state) {
      case 'unknown':
        // Read again: the job may have finished, and left Redis, since it was listed.
        if (await this.store.isUnfinished(id)) {
          await this.queue.add(kind, id);
          report.requeued.push(id);
        }
        return;
      case 'completed':
        // BullMQ finished an attempt whose outcome the record never got: run it again.
        if (await this.store.isUnfinished(id)) {
          await this.queue.queue.remove(id);
          await this.queue.add(kind, id);
          report.requeued.push(id);
        }
        return;
      case 'failed': {
        const entry = await this.queue.queue.getJob(id);
        if (await this.store.failUnfinished(id, entry?.failedReason || 'the queue gave up on this job')) {
          report.failed.push(id);
        }
        return;
      }
      case 'active':
      case 'waiting':
      case 'waiting-children':
      case 'delayed':
      case 'prioritized':
        return;
    }
  }
}
