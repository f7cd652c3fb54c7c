import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { runInContext } from '@imb/contracts';
import { isTransientInfrastructureError } from '@imb/platform';
import { JobProcessor } from './job-processor';
import { JobProcessorRegistry } from './job-processor-registry';
import { JobRun } from './job-run';
import { JobStore } from './job-store';
import { describeError, JobSupersededError } from './jobs.errors';
import { JOBS_OPTIONS, ResolvedJobsOptions } from './jobs.options';

/**
 * The BullMQ worker of this service's queue, started at application bootstrap when the module
 * runs with `runWorker: true`. Each attempt claims the job record, runs the kind's processor in
 * the job's execution context (correlation id, causation id, actor of whoever enqueued it) and
 * records the outcome. A worker that dies mid-job is noticed by BullMQ's stalled-job check in any
 * live worker after `lockDurationMs`; the job runs again and its processor resumes from the
 * last checkpoint. An attempt cut short by the infrastructure (PostgreSQL restarting or
 * unreachable, a connection dropped) does not use up one of the job's attempts: the job waits
 * {@link INFRASTRUCTURE_RETRY_MS} and runs again, as often as it takes.
 */
/** How long a job waits after an attempt the infrastructure cut short. */
export const INFRASTRUCTURE_RETRY_MS = 2000;

@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRunner.name);
  private worker?: Worker;

  constructor(
    @Inject(JOBS_OPTIONS) private readonly options: ResolvedJobsOptions,
    private readonly store: JobStore,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.runWorker) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Starts taking jobs (done at bootstrap when `runWorker` is set). Does not wait for Redis:
   * the worker connects, and reconnects, on its own, so a service boots while Redis is away.
   */
  start(): void {
    if (this.worker) return;
    const o = this.options;
    const worker = new Worker(o.queueName, (job, token) => this.process(job, token), {
      connection: { ...o.connection, maxRetriesPerRequest: null },
      prefix: o.prefix,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
    });
    worker.on('failed', (job, err) => {
      if (job) void this.recordGiveUp(job, err);
    });
    worker.on('error', (err) => this.logger.error(`Worker of ${o.queueName}: ${err.message}`));
    this.worker = worker;
    worker.waitUntilReady().then(
      () =>
        this.logger.log(
          `Processing ${o.queueName} (concurrency ${o.concurrency}; kinds: ${this.registry.kinds().join(', ') || 'none'})`,
        ),
      (err: unknown) => this.logger.error(`Worker of ${o.queueName} could not start: ${describeError(err)}`),
    );
  }

  /**
   * Stops taking jobs. By default waits for running attempts to end; `force` abandons them at
   * once, as a crash would: their jobs are picked up again once their lock lapses.
   */
  async stop({ force = false }: { force?: boolean } = {}): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close(force);
  }

  private async process(job: Job, token?: string): Promise<void> {
    try {
      await this.attempt(job);
    } catch (err) {
      if (!token || err instanceof UnrecoverableError || !isTransientInfrastructureError(err)) throw err;
      // Redis away too: BullMQ's own retry (and the reconciler) take over.
      await job.moveToDelayed(Date.now() + INFRASTRUCTURE_RETRY_MS, token).catch(() => {
        throw err;
      });
      this.logger.warn(`Job ${job.id}: ${describeError(err)}; it runs again in ${INFRASTRUCTURE_RETRY_MS} ms, without using up an attempt`);
      throw new DelayedError();
    }
  }

  /** One attempt: claims the job record, runs the processor, records the outcome. */
  private async attempt(job: Job): Promise<void> {
    const id = job.id;
    if (!id) return;
    const runToken = randomUUID();
    const claimed = await this.store.claim(id, runToken);
    if (!claimed) {
      this.logger.warn(`Skipping ${id}: there is no queued or running job record with that id`);
      return;
    }
    const processor = this.registry.get(claimed.kind);
    if (!processor) {
      const reason =
        `NO_PROCESSOR: the ${this.options.service} worker has no processor for job kind "${claimed.kind}" ` +
        `(it has: ${this.registry.kinds().join(', ') || 'none'})`;
      await this.store.failAttempt(id, runToken, reason, true, claimed.progress);
      throw new UnrecoverableError(reason);
    }
    const run = new JobRun(this.store, job, id, runToken, claimed, this.options.progressIntervalMs);
    const context = {
      correlationId: claimed.correlationId,
      causationId: claimed.causationId ?? undefined,
      actor: claimed.createdBy ?? undefined,
    };
    try {
      const result = await runInContext(context, () => processor.run(run));
      await run.complete(result);
    } catch (err) {
      // A superseded attempt leaves the record to its owner.
      if (err instanceof JobSupersededError) throw err;
      // An attempt the infrastructure cut short is retried (see process), never the last.
      const final =
        !isTransientInfrastructureError(err) &&
        (err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      const reason = describeError(err);
      const recorded = await run.fail(reason, final).catch((writeErr: unknown) => {
        this.logger.error(`Could not record the failure of ${id} (${reason}): ${describeError(writeErr)}`);
        return false;
      });
      if (final && recorded) await this.finished(processor, run);
      throw err;
    }
    await this.finished(processor, run);
  }

  /** The processor's clean-up once this attempt recorded the job's end (see JobProcessor.finished). */
  private async finished(processor: JobProcessor, run: JobRun): Promise<void> {
    await processor.finished?.(run).catch((err: unknown) =>
      this.logger.warn(`Clean-up after job ${run.jobId} failed: ${describeError(err)}`),
    );
  }

  /** BullMQ may give up on a job without our processor seeing it (stalled too often): record it. */
  private async recordGiveUp(job: Job, err: Error): Promise<void> {
    try {
      if (!job.id || (await job.getState()) !== 'failed') return;
      if (await this.store.failUnfinished(job.id, describeError(err))) {
        this.logger.warn(`Job ${job.id} failed in the queue: ${describeError(err)}`);
      }
    } catch (e) {
      this.logger.error(`Could not record the failure of ${job.id}: ${describeError(e)}`);
    }
  }
}
