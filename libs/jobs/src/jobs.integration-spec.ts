import { ConsoleLogger, Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthModule, DEFAULT_DEV_SECRET, DEV_AUDIENCE, DEV_ISSUER, DevTokenIssuer } from '@imb/auth';
import { currentContext, ExecutionContext, runInContext } from '@imb/contracts';
import { createTestDataSource, uniqueName, waitFor } from '@imb/testing';
import { JobProcessorRegistry } from './job-processor-registry';
import type { JobContext, JobProcessor } from './job-processor';
import { JobsEntities } from './job-record.entity';
import { JobReconciler } from './job-reconciler';
import { JobRunner } from './job-runner';
import { JobsQueue } from './jobs-queue';
import { JobsModule } from './jobs.module';
import type { JobsModuleOptions } from './jobs.options';
import { JobSupersededError } from './jobs.errors';
import { JobsService, JobView } from './jobs.service';
import { JobsMigrations } from './migrations';

const redis = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** A deferred promise: tests use them to hold a processor at a chosen point. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** One service process (API or worker) over the given database and Redis prefix. */
async function startService(opts: {
  dataSource: DataSource;
  prefix: string;
  processors?: JobProcessor[];
  options?: Partial<JobsModuleOptions>;
  /** Guard the HTTP routes with AuthModule (dev tokens), as every service does. */
  auth?: boolean;
}) {
  @Global()
  @Module({ providers: [{ provide: DataSource, useValue: opts.dataSource }], exports: [DataSource] })
  class DatabaseModule {}

  const builder = Test.createTestingModule({
    imports: [
      DatabaseModule,
      JobsModule.forRoot({
        service: 'transfer',
        connection: redis,
        prefix: opts.prefix,
        backoffMs: 50,
        progressIntervalMs: 0,
        reconcileIntervalMs: 0,
        ...opts.options,
      }),
      ...(opts.auth
        ? [
            AuthModule.forRoot({
              config: { mode: 'dev', secret: DEFAULT_DEV_SECRET, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, clockToleranceSeconds: 5 },
            }),
          ]
        : []),
    ],
  });
  // JOBS_TEST_LOGS=1 shows what the library logs; tests are quiet otherwise.
  if (process.env.JOBS_TEST_LOGS) builder.setLogger(new ConsoleLogger());
  const moduleRef = await builder.compile();
  const registry = moduleRef.get(JobProcessorRegistry);
  for (const processor of opts.processors ?? []) registry.register(processor);
  const app = moduleRef.createNestApplication({ logger: process.env.JOBS_TEST_LOGS ? undefined : false });
  // The guard records the caller in the execution context, as each service's middleware provides it.
  app.use((_req: unknown, _res: unknown, next: () => void) => runInContext({ correlationId: 'test' }, next));
  await app.init();
  return {
    app,
    jobs: app.get(JobsService),
    runner: app.get(JobRunner),
    reconciler: app.get(JobReconciler),
    queue: app.get(JobsQueue).queue,
  };
}

async function finished(jobs: JobsService, id: string, timeoutMs = 20000): Promise<JobView> {
  return waitFor(
    async () => {
      const job = await jobs.get(id);
      return job && (job.status === 'completed' || job.status === 'failed') ? job : null;
    },
    { timeoutMs, intervalMs: 50, what: `job ${id} to finish` },
  );
}

describe('jobs (PostgreSQL + Redis)', () => {
  let dataSource: DataSource;
  let destroyDb: () => Promise<void>;
  let prefix: string;
  const apps: INestApplication[] = [];

  async function service(opts: Omit<Parameters<typeof startService>[0], 'dataSource' | 'prefix'>) {
    const started = await startService({ dataSource, prefix, ...opts });
    apps.push(started.app);
    return started;
  }

  beforeEach(async () => {
    ({ dataSource, destroy: destroyDb } = await createTestDataSource({
      name: 'jobs',
      entities: JobsEntities,
      migrations: JobsMigrations,
    }));
    prefix = uniqueName('jobs-test');
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    const queue = new Queue('jobs-transfer', { connection: redis, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await destroyDb();
  });

  it('has entities that match its migrations exactly', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reports progress inside a chunk transaction without waiting on that transaction’s lock of the job row', async () => {
    const { jobs } = await service({
      processors: [
        {
          kind: 'progress-in-chunk',
          async run(ctx) {
            for (let chunk = 1; chunk <= 3; chunk++) {
              await dataSource.transaction(async (manager) => {
                // Both lock the job row until this transaction commits.
                await ctx.addErrors([{ row: chunk, field: 'x', message: `bad row ${chunk}` }], { manager });
                await ctx.saveCheckpoint({ next: chunk + 1 }, { manager });
                // Without the manager: another connection, which must not wait for this transaction.
                await ctx.progress(chunk * 10 - 5, 30);
                await ctx.heartbeat();
                // With it: written in this transaction.
                await ctx.progress(chunk * 10, 30, { manager });
              });
            }
            return { chunks: 3 };
          },
        },
      ],
    });
    const id = await jobs.enqueue('progress-in-chunk', {}, { stateCode: null });
    expect(await finished(jobs, id)).toMatchObject({
      status: 'completed',
      attempts: 1,
      errorCount: 3,
      result: { chunks: 3 },
      progress: { percent: 100, done: 30, total: 30 },
    });
  });

  it('runs a job to completion with progress, row errors and result, in the enqueuer’s context', async () => {
    const halfway = gate();
    const resume = gate();
    let seen: ExecutionContext | undefined;
    const { jobs, queue } = await service({
      processors: [
        {
          kind: 'units-import',
          async run(ctx: JobContext<{ rows: number }>) {
            seen = currentContext();
            const total = ctx.request.rows;
            for (let row = 1; row <= total; row++) {
              if (row % 4 === 0)
                await ctx.addErrors([
                  { row, field: 'clues', message: `CLUES in row ${row} is not 11 characters` },
                ]);
              await ctx.progress(row, total);
              await ctx.heartbeat();
              if (row === 5) {
                halfway.open();
                await resume.promise;
              }
            }
            return { imported: total - 2 };
          },
        },
      ],
    });

    const id = await runInContext({ correlationId: 'corr-42', causationId: 'evt-7', actor: 'ana' }, () =>
      jobs.enqueue('units-import', { rows: 10 }, { stateCode: null }),
    );
    expect(id).toMatch(/^transfer-[0-9a-f-]{36}$/);

    await halfway.promise;
    const running = await waitFor(async () => {
      const job = await jobs.get(id);
      return job?.progress.done === 5 ? job : null;
    });
    expect(running).toMatchObject({ status: 'running', progress: { percent: 50, done: 5, total: 10 } });
    expect(((await queue.getJob(id))?.progress as { percent: number }).percent).toBe(50);
    resume.open();

    const done = await finished(jobs, id);
    expect(done).toMatchObject({
      id,
      kind: 'units-import',
      status: 'completed',
      request: { rows: 10 },
      progress: { percent: 100, done: 10, total: 10 },
      result: { imported: 8 },
      errorCount: 2,
      errors: [
        { row: 4, field: 'clues', message: 'CLUES in row 4 is not 11 characters' },
        { row: 8, field: 'clues', message: 'CLUES in row 8 is not 11 characters' },
      ],
      attempts: 1,
      createdBy: 'ana',
      failureReason: null,
    });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(seen).toEqual({ correlationId: 'corr-42', causationId: 'evt-7', actor: 'ana' });
  });

  it('queues a job enqueued in a transaction only after commit, and not at all after rollback', async () => {
    const { jobs, queue } = await service({
      processors: [{ kind: 'noop', run: () => Promise.resolve('ok') }],
    });

    let stateBeforeCommit = '';
    const id = await dataSource.transaction(async (manager) => {
      const jobId = await jobs.enqueue('noop', { n: 1 }, { stateCode: null, manager });
      stateBeforeCommit = await queue.getJobState(jobId);
      return jobId;
    });
    expect(stateBeforeCommit).toBe('unknown');
    expect(await finished(jobs, id)).toMatchObject({ status: 'completed', result: 'ok' });

    let rolledBack = '';
    await expect(
      dataSource.transaction(async (manager) => {
        rolledBack = await jobs.enqueue('noop', { n: 2 }, { stateCode: null, manager });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(await jobs.get(rolledBack)).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(await queue.getJobState(rolledBack)).toBe('unknown');
  });

  it('fails a job whose processor throws, with the reason, after the configured attempts', async () => {
    let calls = 0;
    const cleanUps: number[] = [];
    const { jobs, queue } = await service({
      options: { attempts: 2 },
      processors: [
        {
          kind: 'demand-import',
          run: () => {
            calls += 1;
            return Promise.reject(new Error('The annex has no "clave" column'));
          },
          finished: () => Promise.resolve(void cleanUps.push(calls)),
        },
      ],
    });

    const id = await jobs.enqueue('demand-import', { file: 'annex.xlsx' }, { stateCode: null });
    const job = await finished(jobs, id);
    expect(job).toMatchObject({
      status: 'failed',
      failureReason: 'The annex has no "clave" column',
      attempts: 2,
    });
    expect(calls).toBe(2);
    expect(await queue.getJobState(id)).toBe('failed');
    // The clean-up ran once, after the last attempt: the first one's failure was not the end.
    await waitFor(() => cleanUps.length > 0);
    expect(cleanUps).toEqual([2]);

    const orphan = await jobs.enqueue('kind-nobody-handles', {}, { stateCode: null });
    expect(await finished(jobs, orphan)).toMatchObject({
      status: 'failed',
      attempts: 1,
      failureReason: expect.stringMatching(
        /^NO_PROCESSOR: the transfer worker has no processor for job kind "kind-nobody-handles"/,
      ),
    });
  });

  it('retries an attempt the infrastructure cut short without using up the job’s attempts', async () => {
    let calls = 0;
    const cleanUps: number[] = [];
    const { jobs, queue } = await service({
      options: { attempts: 2 },
      processors: [
        {
          kind: 'units-import',
          run: () => {
            calls += 1;
            // PostgreSQL restarting (SQLSTATE 57P03), three times: more than the job's 2 attempts.
            if (calls <= 3) return Promise.reject(Object.assign(new Error('the database system is not yet accepting connections'), { code: '57P03' }));
            return Promise.resolve({ imported: 1 });
          },
          // Only once the job is done: an attempt cut short must find its input again.
          finished: () => Promise.resolve(void cleanUps.push(calls)),
        },
      ],
    });

    const id = await jobs.enqueue('units-import', { file: 'catalogo.csv' }, { stateCode: null });
    const job = await finished(jobs, id, 30000);
    expect(job).toMatchObject({ status: 'completed', result: { imported: 1 } });
    expect(calls).toBe(4);
    expect(await queue.getJobState(id)).toBe('completed');
    expect((await queue.getJob(id))?.attemptsMade).toBeLessThan(2);
    await waitFor(() => cleanUps.length > 0);
    expect(cleanUps).toEqual([4]);
  });

  it('re-enqueues jobs whose queue entries Redis lost, in a separate worker process', async () => {
    const api = await service({ options: { runWorker: false } });
    const ids = [
      await api.jobs.enqueue('allocate', { programme: 1 }, { stateCode: null }),
      await api.jobs.enqueue('allocate', { programme: 2 }, { stateCode: null }),
      await api.jobs.enqueue('allocate', { programme: 3 }, { stateCode: null }),
    ];
    expect(await api.queue.getJobState(ids[0])).toBe('waiting');

    // What a Redis restart without persistence does to the queue.
    await api.queue.obliterate({ force: true });
    expect(await api.queue.getJobState(ids[0])).toBe('unknown');

    const runs = new Map<string, number>();
    const worker = await service({
      options: { runWorker: true },
      processors: [
        {
          kind: 'allocate',
          run: (ctx: JobContext<{ programme: number }>) => {
            runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
            return Promise.resolve({ programme: ctx.request.programme });
          },
        },
      ],
    });
    for (const [i, id] of ids.entries()) {
      expect(await finished(worker.jobs, id)).toMatchObject({
        status: 'completed',
        result: { programme: i + 1 },
      });
    }
    // Another pass finds nothing to do, and nothing ran twice.
    expect(await worker.reconciler.reconcile()).toEqual({ checked: 0, requeued: [], failed: [] });
    expect([...runs.values()]).toEqual([1, 1, 1]);
  });

  it('boots and accepts jobs while Redis is unreachable, keeping them queued for the reconciler', async () => {
    const started = Date.now();
    const { jobs } = await service({ options: { connection: { host: '127.0.0.1', port: 1 } } });
    const id = await jobs.enqueue('units-import', { rows: 1 }, { stateCode: null });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await jobs.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  describe('resumable processors', () => {
    beforeEach(async () => {
      await dataSource.query(
        `CREATE TABLE test_chunk (job_id text NOT NULL, chunk int NOT NULL, attempt int NOT NULL)`,
      );
    });

    /** Applies chunks 1..6 after the checkpoint, each in one transaction with its checkpoint. */
    function chunkedImport(
      hooks: { afterChunk?: (ctx: JobContext, chunk: number) => Promise<void> } = {},
    ): JobProcessor<unknown, unknown, { next: number }> {
      return {
        kind: 'chunked-import',
        async run(ctx) {
          for (let chunk = ctx.checkpoint?.next ?? 1; chunk <= 6; chunk++) {
            await dataSource.transaction(async (manager) => {
              await manager.query(`INSERT INTO test_chunk VALUES ($1, $2, $3)`, [
                ctx.jobId,
                chunk,
                ctx.attempt,
              ]);
              await ctx.saveCheckpoint({ next: chunk + 1 }, { manager });
            });
            await ctx.progress(chunk, 6);
            await hooks.afterChunk?.(ctx, chunk);
          }
          return { chunks: 6 };
        },
      };
    }

    async function appliedChunks(id: string): Promise<{ chunk: number; attempt: number }[]> {
      return dataSource.query(
        `SELECT chunk, attempt FROM test_chunk WHERE job_id = $1 ORDER BY chunk, attempt`,
        [id],
      );
    }

    it('resumes from the last checkpoint after a failed attempt, without redoing chunks', async () => {
      const { jobs } = await service({
        processors: [
          chunkedImport({
            afterChunk: (ctx, chunk) =>
              ctx.attempt === 1 && chunk === 3
                ? Promise.reject(new Error('connection to the file store reset'))
                : Promise.resolve(),
          }),
        ],
      });
      const id = await jobs.enqueue('chunked-import', {}, { stateCode: null });
      expect(await finished(jobs, id)).toMatchObject({
        status: 'completed',
        attempts: 2,
        lastError: 'connection to the file store reset',
        failureReason: null,
        progress: { percent: 100, done: 6, total: 6 },
      });
      expect(await appliedChunks(id)).toEqual([
        { chunk: 1, attempt: 1 },
        { chunk: 2, attempt: 1 },
        { chunk: 3, attempt: 1 },
        { chunk: 4, attempt: 2 },
        { chunk: 5, attempt: 2 },
        { chunk: 6, attempt: 2 },
      ]);
    });

    it('resumes a job whose worker died mid-run in another worker; the dead attempt can no longer write', async () => {
      const fast = { lockDurationMs: 1000, stalledIntervalMs: 200 };
      const dying = gate();
      const thaw = gate();
      const zombieOutcome = gate<unknown>();
      let zombieCleanUps = 0;
      const doomed = chunkedImport({
        afterChunk: async (ctx, chunk) => {
          if (ctx.attempt === 1 && chunk === 3) {
            dying.open();
            await thaw.promise; // the process is frozen here, as if killed
          }
        },
      });
      const first = await service({
        options: fast,
        processors: [
          {
            kind: doomed.kind,
            run: (ctx: JobContext<unknown, { next: number }>) =>
              doomed.run(ctx).then(
                (result) => {
                  zombieOutcome.open(result);
                  return result;
                },
                (err: unknown) => {
                  zombieOutcome.open(err);
                  throw err;
                },
              ),
            finished: () => Promise.resolve(void zombieCleanUps++),
          },
        ],
      });
      const id = await first.jobs.enqueue('chunked-import', {}, { stateCode: null });
      await dying.promise;
      await first.runner.stop({ force: true });

      const second = await service({ options: fast, processors: [chunkedImport()] });
      expect(await finished(second.jobs, id)).toMatchObject({
        status: 'completed',
        attempts: 2,
        result: { chunks: 6 },
      });

      thaw.open();
      expect(await zombieOutcome.promise).toBeInstanceOf(JobSupersededError);
      // The job's input is the new owner's to clean up, never the superseded attempt's.
      expect(zombieCleanUps).toBe(0);
      expect(await appliedChunks(id)).toEqual([
        { chunk: 1, attempt: 1 },
        { chunk: 2, attempt: 1 },
        { chunk: 3, attempt: 1 },
        { chunk: 4, attempt: 2 },
        { chunk: 5, attempt: 2 },
        { chunk: 6, attempt: 2 },
      ]);
    });
  });

  describe('HTTP', () => {
    it('serves a job with its first errors and pages the rest; duplicate errors are stored once', async () => {
      const { app, jobs } = await service({
        options: { errorsInView: 100 },
        processors: [
          {
            kind: 'roster-import',
            async run(ctx) {
              const errors = Array.from({ length: 1500 }, (_, i) => ({
                row: i + 2,
                field: 'curp',
                message: 'CURP has 17 characters',
              }));
              for (let i = 0; i < errors.length; i += 500) await ctx.addErrors(errors.slice(i, i + 500));
              // A chunk redone after a crash reports its errors again.
              await ctx.addErrors(errors.slice(0, 10));
              await ctx.progress(1500, 1500);
              return { valid: 0 };
            },
          },
        ],
      });
      const id = await jobs.enqueue('roster-import', { dryRun: true }, { stateCode: null });
      await finished(jobs, id);
      const http = request(app.getHttpServer());

      const job = await http.get(`/jobs/${id}`).expect(200);
      expect(job.body).toMatchObject({
        id,
        status: 'completed',
        errorCount: 1500,
        progress: { percent: 100, done: 1500, total: 1500 },
      });
      expect(job.body.errors).toHaveLength(100);
      expect(job.body.errors[0]).toEqual({ row: 2, field: 'curp', message: 'CURP has 17 characters' });

      const page2 = await http.get(`/jobs/${id}/errors?page=2&pageSize=1000`).expect(200);
      expect(page2.body).toMatchObject({ total: 1500, page: 2, pageSize: 1000 });
      expect(page2.body.items).toHaveLength(500);
      expect(page2.body.items[0].row).toBe(1002);
    });

    it('answers 400 for malformed input and 404 with a clear message for unknown jobs', async () => {
      const { app } = await service({});
      const http = request(app.getHttpServer());
      const malformed = await http.get('/jobs/not-a-job').expect(400);
      expect(malformed.body.message).toMatch(/"not-a-job" is not a job id/);
      await http.get('/jobs/not-a-job/errors').expect(400);

      const unknown = await http.get('/jobs/transfer-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f').expect(404);
      expect(unknown.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'There is no job transfer-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f',
      });
      const elsewhere = await http.get('/jobs/hr-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f').expect(404);
      expect(elsewhere.body.message).toMatch(/belongs to the hr service/);
      await http.get('/jobs/transfer-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f/events').expect(404);

      for (const query of [
        'pageSize=0',
        'pageSize=1001',
        'page=0',
        'page=abc',
        'page=1e308',
        'page=1000001',
        'status=done',
        'kind=%20x',
        'colour=red',
      ]) {
        const res = await http.get(`/jobs?${query}`).expect(400);
        expect(res.body.message).toEqual(expect.any(Array));
      }
      await http.get('/jobs?pageSize=1000').expect(200);
    });

    it('lists jobs newest first, filtered by kind and status', async () => {
      const { app, jobs } = await service({
        processors: [
          { kind: 'consolidate', run: () => Promise.resolve({}) },
          { kind: 'allocate', run: () => Promise.reject(new Error('envelope exhausted')) },
        ],
        options: { attempts: 1 },
      });
      const a = await jobs.enqueue('consolidate', {}, { stateCode: null });
      const b = await jobs.enqueue('allocate', {}, { stateCode: null });
      const c = await jobs.enqueue('consolidate', {}, { stateCode: null });
      for (const id of [a, b, c]) await finished(jobs, id);
      const http = request(app.getHttpServer());

      const all = await http.get('/jobs').expect(200);
      expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 50 });
      expect(all.body.items.map((j: { id: string }) => j.id)).toEqual([c, b, a]);

      const consolidations = await http
        .get('/jobs?kind=consolidate&status=completed&page=2&pageSize=1')
        .expect(200);
      expect(consolidations.body).toMatchObject({
        total: 2,
        page: 2,
        pageSize: 1,
        items: [{ id: a, status: 'completed' }],
      });

      const failures = await http.get('/jobs?status=failed').expect(200);
      expect(failures.body.items).toEqual([
        expect.objectContaining({ id: b, failureReason: 'envelope exhausted' }),
      ]);
    });

    it('shows each caller only the jobs of her states, and national jobs to national roles and the national job readers; the others answer as no job', async () => {
      const { app, jobs } = await service({
        auth: true,
        options: { nationalJobReaders: ['procurement-officer'] },
        processors: [
          {
            kind: 'roster-import',
            async run(ctx) {
              await ctx.addErrors([{ row: 2, field: 'curp', message: 'PEPJ800101HDFRRN09 appears twice' }]);
              return { imported: 0 };
            },
          },
        ],
      });
      const mexico = await jobs.enqueue('roster-import', { stateCode: '15' }, { stateCode: '15' });
      const nayarit = await jobs.enqueue('roster-import', { stateCode: '18' }, { stateCode: '18' });
      const campaign = await jobs.enqueue('roster-import', { campaign: 'c' }, { stateCodes: ['18', '15', '18'] });
      const national = await jobs.enqueue('roster-import', { exercise: '2027-2028' }, { stateCode: null });
      for (const id of [mexico, nayarit, campaign, national]) await finished(jobs, id);
      await expect(jobs.enqueue('roster-import', {}, { stateCode: '33' })).rejects.toThrow(/enqueue needs the job's states/);

      const issuer = app.get(DevTokenIssuer);
      const as = async (roles: string[], states: string[]) => {
        const bearer = await issuer.sign({ sub: `t-${roles.join('+')}-${states.join('+')}`, roles, states });
        const http = request(app.getHttpServer());
        return (path: string) => http.get(path).set('authorization', `Bearer ${bearer}`);
      };
      const ids = async (get: (path: string) => request.Test) => {
        const res = await get('/jobs').expect(200);
        expect(res.body.total).toBe(res.body.items.length);
        return (res.body.items as { id: string }[]).map((j) => j.id).sort();
      };
      const all = [mexico, nayarit, campaign, national].sort();

      const hrMexico = await as(['hr-officer'], ['15']);
      expect(await ids(hrMexico)).toEqual([mexico]);
      expect((await hrMexico(`/jobs/${mexico}`).expect(200)).body).toMatchObject({ stateCodes: ['15'], errorCount: 1 });
      await hrMexico(`/jobs/${mexico}/errors`).expect(200);
      // Another state's job answers exactly as a job that does not exist: the refusal tells nothing.
      const unknown = 'transfer-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f';
      for (const id of [nayarit, campaign, national, unknown]) {
        for (const path of [`/jobs/${id}`, `/jobs/${id}/errors`, `/jobs/${id}/events`]) {
          const refused = await hrMexico(path).expect(404);
          expect(refused.body).toEqual({ statusCode: 404, error: 'Not Found', message: `There is no job ${id}` });
        }
      }
      expect(await ids(await as(['hr-officer'], ['15', '18']))).toEqual([mexico, nayarit, campaign].sort());
      expect((await (await as(['hr-officer'], ['15', '18']))(`/jobs/${campaign}`).expect(200)).body.stateCodes).toEqual(['15', '18']);

      const buyer = await as(['procurement-officer'], ['15']);
      expect(await ids(buyer)).toEqual([mexico, national].sort());
      await buyer(`/jobs/${national}`).expect(200);
      await buyer(`/jobs/${nayarit}`).expect(404);
      expect(await ids(await as(['procurement-officer'], []))).toEqual([national]);

      expect(await ids(await as(['federal-coordinator'], []))).toEqual(all);
      expect(await ids(await as(['auditor'], []))).toEqual(all);
      await (await as(['auditor'], []))(`/jobs/${nayarit}/errors`).expect(200);
      const filtered = await hrMexico('/jobs?kind=roster-import&status=completed&pageSize=1').expect(200);
      expect(filtered.body).toMatchObject({ total: 1, items: [{ id: mexico }] });
      await request(app.getHttpServer()).get('/jobs').expect(401);
    });

    it("lets only the service's job readers read its jobs: the others see none, of any state", async () => {
      const { app, jobs } = await service({
        auth: true,
        // HR's: the roles the personal-data policy lets see a worker (hr.jobs).
        options: { jobReaders: ['federal-coordinator', 'hr-officer', 'auditor'] },
        processors: [
          {
            kind: 'roster-import',
            async run(ctx) {
              await ctx.addErrors([{ row: 2, field: 'CURP', message: 'duplicate: CURP PEPJ800101HDFRRN09 already appears in row 1' }]);
              return { valid: 0 };
            },
          },
        ],
      });
      const nayarit = await jobs.enqueue('roster-import', { stateCode: '18', dryRun: true }, { stateCode: '18' });
      await finished(jobs, nayarit);
      const unknown = 'transfer-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f';
      const issuer = app.get(DevTokenIssuer);
      const as = async (role: string, states: string[]) => {
        const bearer = await issuer.sign({ sub: `t-${role}`, roles: [role], states });
        return (path: string) => request(app.getHttpServer()).get(path).set('authorization', `Bearer ${bearer}`);
      };

      for (const role of ['state-coordinator', 'dignification-officer', 'procurement-officer']) {
        const get = await as(role, ['18']);
        const listed = await get('/jobs').expect(200);
        expect(listed.body).toMatchObject({ total: 0, items: [] });
        for (const id of [nayarit, unknown]) {
          for (const path of [`/jobs/${id}`, `/jobs/${id}/errors`, `/jobs/${id}/events`]) {
            const refused = await get(path).expect(404);
            expect(refused.body).toEqual({ statusCode: 404, error: 'Not Found', message: `There is no job ${id}` });
          }
        }
      }
      const officer = await as('hr-officer', ['18']);
      expect((await officer('/jobs').expect(200)).body.items.map((j: { id: string }) => j.id)).toEqual([nayarit]);
      expect((await officer(`/jobs/${nayarit}/errors`).expect(200)).body.items[0].message).toMatch(/PEPJ800101HDFRRN09/);
      await (await as('auditor', []))(`/jobs/${nayarit}`).expect(200);
    });

    it('streams progress as server-sent events until the job finishes', async () => {
      const release = gate();
      const { app, jobs } = await service({
        processors: [
          {
            kind: 'formalize',
            async run(ctx) {
              await ctx.progress(1, 2);
              await release.promise;
              await ctx.progress(2, 2);
              return { formalized: 2 };
            },
          },
        ],
      });
      const id = await jobs.enqueue('formalize', {}, { stateCode: null });
      await waitFor(async () => (await jobs.get(id))?.progress.done === 1);
      setTimeout(() => release.open(), 800);

      const res = await request(app.getHttpServer())
        .get(`/jobs/${id}/events`)
        .buffer(true)
        .parse((stream, done) => {
          let text = '';
          stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
          stream.on('end', () => done(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      const events = (res.body as string)
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map(
          (line) => JSON.parse(line.slice('data: '.length)) as { status: string; progress: { done: number } },
        );
      expect(events[0]).toMatchObject({ status: 'running', progress: { done: 1 } });
      expect(events[events.length - 1]).toMatchObject({
        status: 'completed',
        progress: { percent: 100, done: 2 },
      });
    });
  });
});
