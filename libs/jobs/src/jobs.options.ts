import { ALL_ROLES, isRole, type Role } from '@imb/auth';
import type { RedisOptions } from 'ioredis';
import { SERVICE_NAME_PATTERN } from './job-id';

/** How a service runs its jobs; give it to `JobsModule.forRoot`. */
export interface JobsModuleOptions {
  /** Owning service (`transfer`, `hr`…): the prefix of job ids and of the queue name. */
  service: string;
  /** Redis to use (ioredis options: host, port, db, username, password, tls…). */
  connection: RedisOptions;
  /** Prefix of every BullMQ key in Redis. Default `imb`. */
  prefix?: string;
  /**
   * Isolates environments (or test runs) that share one Redis, as KAFKA_NAMESPACE does for Kafka
   * topics: the queue is `<namespace>.jobs-<service>`. Default: env JOBS_NAMESPACE, else
   * KAFKA_NAMESPACE, else none (`jobs-<service>`).
   */
  namespace?: string;
  /** Process jobs in this process (true: API and worker in one) or only enqueue them (false). Default true. */
  runWorker?: boolean;
  /** Jobs processed at once by this process's worker. Default 1. */
  concurrency?: number;
  /** Attempts per job before it fails for good, with exponential backoff between them. Default 3. */
  attempts?: number;
  /** Delay before the first retry; each next retry waits twice as long. Default 1000 ms. */
  backoffMs?: number;
  /** Re-enqueue jobs Redis has lost, at start and then periodically. Default: same as `runWorker`. */
  reconcile?: boolean;
  /** Period of the reconciler; 0 runs it only at start. Default 30000 ms. */
  reconcileIntervalMs?: number;
  /** Least time between two progress or heartbeat writes of one job. Default 500 ms. */
  progressIntervalMs?: number;
  /**
   * How long a worker's claim on a job lasts without renewal; a dead worker's job is picked up
   * after it. Default: env JOBS_LOCK_DURATION_MS, else 30000 ms.
   */
  lockDurationMs?: number;
  /** How often a worker looks for jobs whose claim has lapsed. Default: env JOBS_STALLED_INTERVAL_MS, else 30000 ms. */
  stalledIntervalMs?: number;
  /** Times a job may lose its worker (crash, kill) and be resumed before it fails. Default 2. */
  maxStalledCount?: number;
  /** Errors included in `GET /jobs/:id`; the rest are paged at `/jobs/:id/errors`. Default 100. */
  errorsInView?: number;
  /**
   * Roles that read this service's jobs, each in the states it reaches (a national role: every
   * job). A service whose jobs hold personal data names the roles the personal-data policy lets
   * see it, e.g. HR's `rolesWithPersonalDataAccess('hr.jobs')`. Default: every role. See job-access.ts.
   */
  jobReaders?: readonly Role[];
  /**
   * Roles, besides the national job readers, that read this service's national jobs (jobs of no
   * state): the roles that start them, e.g. `['procurement-officer']`. Default none. See job-access.ts.
   */
  nationalJobReaders?: readonly Role[];
}

/** Options with every default applied. */
export type ResolvedJobsOptions = Required<JobsModuleOptions> & { queueName: string };

/** Nest injection token of the resolved options. */
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

/** Applies defaults and checks the options, failing with every problem listed at once. */
export function resolveJobsOptions(options: JobsModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedJobsOptions {
  const problems: string[] = [];
  /** An integer setting from the environment; undefined when unset, reported when not an integer. */
  const fromEnv = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value)) {
      problems.push(`${name} must be an integer number of milliseconds, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return value;
  };
  const runWorker = options.runWorker ?? true;
  const namespace = options.namespace ?? env.JOBS_NAMESPACE ?? env.KAFKA_NAMESPACE ?? '';
  const resolved: ResolvedJobsOptions = {
    service: options.service,
    connection: options.connection,
    prefix: options.prefix ?? 'imb',
    namespace,
    runWorker,
    concurrency: options.concurrency ?? 1,
    attempts: options.attempts ?? 3,
    backoffMs: options.backoffMs ?? 1000,
    reconcile: options.reconcile ?? runWorker,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 30000,
    progressIntervalMs: options.progressIntervalMs ?? 500,
    lockDurationMs: options.lockDurationMs ?? fromEnv('JOBS_LOCK_DURATION_MS') ?? 30000,
    stalledIntervalMs: options.stalledIntervalMs ?? fromEnv('JOBS_STALLED_INTERVAL_MS') ?? 30000,
    maxStalledCount: options.maxStalledCount ?? 2,
    errorsInView: options.errorsInView ?? 100,
    jobReaders: options.jobReaders ?? ALL_ROLES,
    nationalJobReaders: options.nationalJobReaders ?? [],
    queueName: namespace ? `${namespace}.jobs-${options.service}` : `jobs-${options.service}`,
  };
  if (typeof resolved.service !== 'string' || !SERVICE_NAME_PATTERN.test(resolved.service)) {
    problems.push(
      `service must be lowercase letters and digits starting with a letter, got ${JSON.stringify(resolved.service)}`,
    );
  }
  if (!resolved.connection || typeof resolved.connection !== 'object') {
    problems.push('connection must be ioredis options, e.g. { host: "127.0.0.1", port: 6379 }');
  }
  if (resolved.namespace && !/^[A-Za-z0-9_.-]+$/.test(resolved.namespace)) {
    problems.push(`namespace must be letters, digits, "_", "." or "-", got ${JSON.stringify(resolved.namespace)}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(resolved.prefix)) {
    problems.push(`prefix must be letters, digits, "_", "." or "-", got ${JSON.stringify(resolved.prefix)}`);
  }
  const atLeast = (name: keyof ResolvedJobsOptions, min: number) => {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      problems.push(`${name} must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
    }
  };
  for (const name of ['jobReaders', 'nationalJobReaders'] as const) {
    const roles = resolved[name];
    if (!Array.isArray(roles) || !roles.every((role) => isRole(role))) {
      problems.push(`${name} must be a list of platform roles, got ${JSON.stringify(roles)}`);
    }
  }
  atLeast('concurrency', 1);
  atLeast('attempts', 1);
  atLeast('backoffMs', 0);
  atLeast('reconcileIntervalMs', 0);
  atLeast('progressIntervalMs', 0);
  atLeast('lockDurationMs', 1000);
  atLeast('stalledIntervalMs', 100);
  atLeast('maxStalledCount', 0);
  atLeast('errorsInView', 0);
  if (problems.length) {
    throw new Error(`Invalid jobs configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return resolved;
}
