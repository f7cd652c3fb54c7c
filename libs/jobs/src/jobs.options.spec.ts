import { ALL_ROLES } from '@imb/auth';
import { resolveJobsOptions } from './jobs.options';

describe('resolveJobsOptions', () => {
  const connection = { host: '127.0.0.1', port: 6379 };
  const env = { JOBS_NAMESPACE: process.env.JOBS_NAMESPACE, KAFKA_NAMESPACE: process.env.KAFKA_NAMESPACE };

  beforeEach(() => {
    delete process.env.JOBS_NAMESPACE;
    delete process.env.KAFKA_NAMESPACE;
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  });

  it('applies defaults that work on a developer machine', () => {
    expect(resolveJobsOptions({ service: 'transfer', connection })).toEqual({
      service: 'transfer',
      connection,
      prefix: 'imb',
      namespace: '',
      runWorker: true,
      concurrency: 1,
      attempts: 3,
      backoffMs: 1000,
      reconcile: true,
      reconcileIntervalMs: 30000,
      progressIntervalMs: 500,
      lockDurationMs: 30000,
      stalledIntervalMs: 30000,
      maxStalledCount: 2,
      errorsInView: 100,
      jobReaders: ALL_ROLES,
      nationalJobReaders: [],
      queueName: 'jobs-transfer',
    });
  });

  it('namespaces the queue like Kafka topics: option, else JOBS_NAMESPACE, else KAFKA_NAMESPACE', () => {
    process.env.KAFKA_NAMESPACE = 'e2e-units-abc';
    expect(resolveJobsOptions({ service: 'transfer', connection }).queueName).toBe('e2e-units-abc.jobs-transfer');
    process.env.JOBS_NAMESPACE = 'staging';
    expect(resolveJobsOptions({ service: 'transfer', connection }).queueName).toBe('staging.jobs-transfer');
    expect(resolveJobsOptions({ service: 'transfer', connection, namespace: 'run-7' }).queueName).toBe('run-7.jobs-transfer');
    expect(resolveJobsOptions({ service: 'transfer', connection, namespace: '' }).queueName).toBe('jobs-transfer');
    expect(() => resolveJobsOptions({ service: 'transfer', connection, namespace: 'a:b' })).toThrow(/namespace must be letters/);
  });

  it('takes how soon a dead worker\'s job is resumed from the environment unless given', () => {
    const env = { JOBS_LOCK_DURATION_MS: '3000', JOBS_STALLED_INTERVAL_MS: '1000' };
    const resolved = resolveJobsOptions({ service: 'hr', connection }, env);
    expect([resolved.lockDurationMs, resolved.stalledIntervalMs]).toEqual([3000, 1000]);
    expect(resolveJobsOptions({ service: 'hr', connection, lockDurationMs: 5000 }, env).lockDurationMs).toBe(5000);
    expect(() => resolveJobsOptions({ service: 'hr', connection }, { JOBS_LOCK_DURATION_MS: '3s' })).toThrow(
      /JOBS_LOCK_DURATION_MS must be an integer number of milliseconds, got "3s"/,
    );
    expect(() => resolveJobsOptions({ service: 'hr', connection }, { JOBS_STALLED_INTERVAL_MS: '10' })).toThrow(
      /stalledIntervalMs must be an integer of at least 100/,
    );
  });

  it('reconciles where the worker runs unless told otherwise', () => {
    expect(resolveJobsOptions({ service: 'hr', connection, runWorker: false }).reconcile).toBe(false);
    expect(
      resolveJobsOptions({ service: 'hr', connection, runWorker: false, reconcile: true }).reconcile,
    ).toBe(true);
  });

  it('takes the roles that read national jobs, refusing names that are not roles', () => {
    expect(resolveJobsOptions({ service: 'procurement', connection, nationalJobReaders: ['procurement-officer'] }).nationalJobReaders).toEqual([
      'procurement-officer',
    ]);
    expect(() =>
      resolveJobsOptions({ service: 'procurement', connection, nationalJobReaders: ['buyer' as never] }),
    ).toThrow(/nationalJobReaders must be a list of platform roles, got \["buyer"\]/);
  });

  it('takes the roles that read jobs at all, every role unless told', () => {
    expect(resolveJobsOptions({ service: 'hr', connection, jobReaders: ['hr-officer', 'auditor'] }).jobReaders).toEqual(['hr-officer', 'auditor']);
    expect(() => resolveJobsOptions({ service: 'hr', connection, jobReaders: ['clerk' as never] })).toThrow(
      /jobReaders must be a list of platform roles, got \["clerk"\]/,
    );
  });

  it('lists every problem at once', () => {
    expect(() =>
      resolveJobsOptions({
        service: 'Human-Resources',
        connection,
        concurrency: 0,
        attempts: 1.5,
        prefix: 'a:b',
      }),
    ).toThrow(
      /Invalid jobs configuration:\n {2}- service must be .*\n {2}- prefix must be .*\n {2}- concurrency must be an integer of at least 1, got 0\n {2}- attempts must be an integer of at least 1, got 1.5/,
    );
  });
});
