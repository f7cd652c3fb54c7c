import { resolveJobsOptions } from './jobs.options';

describe('resolveJobsOptions', () => {
  const connection = { host: '127.0.0.1', port: 6379 };

  it('applies defaults that work on a developer machine', () => {
    expect(resolveJobsOptions({ service: 'transfer', connection })).toEqual({
      service: 'transfer',
      connection,
      prefix: 'imb',
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
      queueName: 'jobs-transfer',
    });
  });

  it('reconciles where the worker runs unless told otherwise', () => {
    expect(resolveJobsOptions({ service: 'hr', connection, runWorker: false }).reconcile).toBe(false);
    expect(
      resolveJobsOptions({ service: 'hr', connection, runWorker: false, reconcile: true }).reconcile,
    ).toBe(true);
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
