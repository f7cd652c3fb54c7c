import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobState, Queue } from 'bullmq';
import { JOBS_OPTIONS, ResolvedJobsOptions } from './jobs.options';
import { tolerateErrorsAfterClose } from './redis-connection';

tolerateErrorsAfterClose();

/**
 * This service's BullMQ queue (`jobs-<service>`, or `<namespace>.jobs-<service>`). Entries carry
 * no data: the job's name is its kind and its id is the job record's id; the request is read
 * from PostgreSQL when it runs.
 */
@Injectable()
export class JobsQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(JobsQueue.name);
  readonly queue: Queue;

  constructor(@Inject(JOBS_OPTIONS) options: ResolvedJobsOptions) {
    this.queue = new Queue(options.queueName, {
      // Fail fast while Redis is away instead of piling up commands: the job record is already
      // stored and the reconciler enqueues it once Redis is back.
      connection: { ...options.connection, enableOfflineQueue: false },
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        // PostgreSQL keeps the history; Redis keeps only a little for inspection.
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
    this.queue.on('error', (err) =>
      this.logger.warn(`Redis error on queue ${options.queueName}: ${err.message}`),
    );
  }

  /** Adds the queue entry of a stored job; an id already in the queue is left as it is. */
  async add(kind: string, id: string): Promise<void> {
    await this.queue.add(kind, {}, { jobId: id });
  }

  /** The BullMQ state of a job, `unknown` when Redis has no entry for it. */
  state(id: string): Promise<JobState | 'unknown'> {
    return this.queue.getJobState(id);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
