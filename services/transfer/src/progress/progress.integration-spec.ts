import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevTokenIssuer } from '@imb/auth';
import { buildDataSourceOptions, configurePlatformApp } from '@imb/platform';
import { createDatabase, dropDatabase, testPg, uniqueName, waitFor } from '@imb/testing';
import { AppModule } from '../app.module';
import { transferSchema } from '../schema';
import { ProgressConfig } from './progress.config';
import { ProgressPublisher } from './progress.publisher';
import { progressQuery } from './progress.query';
import { ProgressService } from './progress.service';

/**
 * Progress figures and their events, computed from rows written straight into the `unit` and
 * `checklist_item` tables created by the units and stages features' own migrations.
 */
describe('transfer progress (HTTP and events, real PostgreSQL)', () => {
  let app: INestApplication;
  let db: DataSource;
  let database: string;
  let storageDir: string;
  let token: string;
  let publisher: ProgressPublisher;
  let serial = 0;

  const PREFIX: Record<string, string> = { '13': 'HG', '31': 'YN' };
  async function addUnits(stateCode: string, status: string, count: number) {
    await db.query(
      `INSERT INTO unit (id, clues, state_code, name, institution, status, row_hash)
       SELECT gen_random_uuid(), $1 || 'SSA' || lpad((g + $4)::text, 6, '0'), $2, 'CENTRO DE SALUD ' || g, 'SSA', $3, 'test'
         FROM generate_series(1, $5::int) g`,
      [PREFIX[stateCode], stateCode, status, serial, count],
    );
    serial += count;
  }
  async function moveOneUnit(stateCode: string, from: string, to: string) {
    await db.query(`UPDATE unit SET status = $3 WHERE id = (SELECT id FROM unit WHERE state_code = $1 AND status = $2 LIMIT 1)`, [stateCode, from, to]);
  }
  async function addGateItem(stateCode: string, stage: string, itemId: string, done: boolean) {
    await db.query(
      `INSERT INTO checklist_item (state_code, definition_version, stage, item_id, position, title, source, done, done_by, done_at)
       SELECT state_code, definition_version, $2, $3, 900, 'test item', 'manual', $4,
              CASE WHEN $4 THEN 'tester' END, CASE WHEN $4 THEN now() END
         FROM state_transfer WHERE state_code = $1`,
      [stateCode, stage, itemId, done],
    );
  }
  const openItemsNow = async (stateCode: string) =>
    Number(
      (
        await db.query(
          `SELECT count(*) AS n FROM checklist_item c JOIN state_transfer t
              ON t.state_code = c.state_code AND t.definition_version = c.definition_version AND t.stage = c.stage
           WHERE c.state_code = $1 AND NOT c.done`,
          [stateCode],
        )
      )[0].n,
    );
  const daysInStage = async (stateCode: string) =>
    Number((await db.query(`SELECT floor(extract(epoch FROM now() - stage_since) / 86400) AS d FROM state_transfer WHERE state_code = $1`, [stateCode]))[0].d);
  async function progressEvents(stateCode?: string): Promise<any[]> {
    const rows: { event: string }[] = await db.query(
      `SELECT event FROM outbox WHERE type = 'transfer.progress-updated.v1' AND ($1::text IS NULL OR key = $1) ORDER BY seq`,
      [stateCode ?? null],
    );
    return rows.map((r) => JSON.parse(r.event));
  }
  const get = (path: string) => request(app.getHttpServer()).get(`/api/transfers/${path}`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    database = await createDatabase('transfer_progress');
    const url = `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`;
    db = new DataSource(buildDataSourceOptions({ url, ...transferSchema }));
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    storageDir = await mkdtemp(join(tmpdir(), 'imb-transfer-progress-'));
    Object.assign(process.env, {
      DATABASE_URL: url,
      STORAGE_DIR: storageDir,
      KAFKA_NAMESPACE: uniqueName('progress'),
      KAFKAJS_LOG_LEVEL: 'error',
      AUTH_DEV_ISSUER: 'true',
      LOG_LEVEL: 'silent',
      // Rounds are driven by the test; the timer is tested on its own instance below.
      PROGRESS_INTERVAL_MS: '0',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false });
    configurePlatformApp(app, { openApi: false });
    await app.init();
    token = await app.get(DevTokenIssuer).sign({ sub: 'hilda', roles: ['state-coordinator'], states: ['13'] });
    publisher = app.get(ProgressPublisher);
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    if (database) await dropDatabase(database);
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('counts a missing unit or checklist table as empty', async () => {
    const rows = await db.query(progressQuery({ units: false, checklist: false }, false));
    expect(rows).toHaveLength(32);
    expect(rows.every((r: any) => r.open_gate_items === 0 && Object.keys(r.units_by_status).length === 0)).toBe(true);
  });

  it('gives the national summary of the 32 states before any unit is inventoried', async () => {
    const res = await get('progress').expect(200);
    expect(res.body.states).toHaveLength(32);
    expect(res.body.totals).toMatchObject({
      states: 32,
      statesByStage: { OPERATION: 23, HANDOVER: 1, DECLINED: 8 },
      unitsTotal: 0,
      includedUnits: 0,
      handedOverPercent: 0,
      reRegisteredPercent: 0,
    });
    expect(res.body.totals.unitsByStatus).toEqual({
      INVENTORIED: 0, INCLUDED: 0, EXCLUDED: 0, NEEDS_REGULARIZATION: 0, HANDED_OVER: 0, RE_REGISTERED: 0, OPERATING: 0,
    });
  });

  it('computes a state’s units by status, percentages over the units not excluded, days in stage and open gate items', async () => {
    for (const [status, n] of Object.entries({ INVENTORIED: 1, INCLUDED: 3, EXCLUDED: 2, NEEDS_REGULARIZATION: 1, HANDED_OVER: 2, RE_REGISTERED: 1, OPERATING: 2 })) {
      await addUnits('31', status, n);
    }
    await addUnits('13', 'OPERATING', 4);
    const openBefore = await openItemsNow('31');
    await addGateItem('31', 'HANDOVER', 'progress-test-open-1', false);
    await addGateItem('31', 'HANDOVER', 'progress-test-open-2', false);
    await addGateItem('31', 'HANDOVER', 'progress-test-done', true);
    await addGateItem('31', 'PAYROLL', 'progress-test-next-stage', false);

    const res = await get('31/progress').expect(200);
    expect(res.body).toMatchObject({
      stateCode: '31',
      stateName: 'Yucatán',
      stage: 'HANDOVER',
      stageSince: '2026-01-01T00:00:00.000Z',
      daysInStage: await daysInStage('31'),
      unitsTotal: 12,
      unitsByStatus: { INVENTORIED: 1, INCLUDED: 3, EXCLUDED: 2, NEEDS_REGULARIZATION: 1, HANDED_OVER: 2, RE_REGISTERED: 1, OPERATING: 2 },
      includedUnits: 10,
      handedOverPercent: 50,
      reRegisteredPercent: 30,
      openGateItems: openBefore + 2,
    });
    expect(Date.parse(res.body.computedAt)).not.toBeNaN();

    const national = await get('progress').expect(200);
    expect(national.body.totals).toMatchObject({ unitsTotal: 16, includedUnits: 14, handedOverPercent: 64.2, reRegisteredPercent: 50 });
    expect(national.body.states.find((s: any) => s.stateCode === '13')).toMatchObject({ unitsTotal: 4, handedOverPercent: 100 });
  });

  it('validates the state code', async () => {
    expect((await get('99/progress').expect(400)).body.message).toMatch(/not a state code/);
  });

  it('publishes every state once, then only the states whose figures changed, in the outbox', async () => {
    const first = await publisher.publishChanges();
    expect(first).toHaveLength(32);
    const [event] = await progressEvents('31');
    expect(event).toMatchObject({
      type: 'transfer.progress-updated.v1',
      subject: '31',
      statecode: '31',
      actor: 'system:transfer',
      data: { stateCode: '31', stage: 'HANDOVER', unitsTotal: 12, handedOverPercent: 50, reRegisteredPercent: 30 },
    });
    expect(await publisher.publishChanges()).toEqual([]);

    await moveOneUnit('31', 'HANDED_OVER', 'RE_REGISTERED');
    expect(await publisher.publishChanges()).toEqual(['31']);
    expect((await progressEvents('31')).at(-1).data).toMatchObject({ handedOverPercent: 50, reRegisteredPercent: 40 });

    // A day more in the stage is a change too.
    await db.query(`UPDATE state_transfer SET stage_since = stage_since - interval '1 day' WHERE state_code = '13'`);
    expect(await publisher.publishChanges()).toEqual(['13']);
    expect(await publisher.publishChanges()).toEqual([]);
    const snapshot = await db.query(`SELECT figures FROM state_progress WHERE state_code = '31'`);
    expect(snapshot[0].figures).toMatchObject({ reRegisteredPercent: 40, unitsTotal: 12 });
  });

  it('emits each change once when several instances publish at the same moment', async () => {
    const others = [1, 2, 3].map(
      () => new ProgressPublisher(app.get(DataSource), app.get(ProgressService), { PROGRESS_INTERVAL_MS: 0 } as ProgressConfig),
    );
    const outcomes: string[] = [];
    for (let round = 0; round < 5; round++) {
      const before = (await progressEvents('31')).length;
      await addUnits('31', 'INVENTORIED', 1);
      const results = await Promise.all([publisher, ...others].map((p) => p.publishChanges()));
      outcomes.push(...results.map((r) => (r === null ? 'skipped' : r.length ? 'published' : 'unchanged')));
      expect(results.flatMap((r) => r ?? [])).toEqual(['31']);
      expect((await progressEvents('31')).length).toBe(before + 1);
    }
    // The instances that lost the race skipped the round (lock held) or found nothing new.
    expect(outcomes.filter((o) => o === 'published')).toHaveLength(5);
  });

  it('publishes on its own every PROGRESS_INTERVAL_MS, and stops on shutdown', async () => {
    const timed = new ProgressPublisher(app.get(DataSource), app.get(ProgressService), { PROGRESS_INTERVAL_MS: 100 } as ProgressConfig);
    timed.onApplicationBootstrap();
    try {
      const before = (await progressEvents('13')).length;
      await addUnits('13', 'HANDED_OVER', 1);
      await waitFor(async () => (await progressEvents('13')).length === before + 1, { timeoutMs: 10000, what: 'a progress event for 13' });
      expect((await progressEvents('13')).at(-1).data).toMatchObject({ unitsTotal: 5, handedOverPercent: 100, reRegisteredPercent: 80 });
    } finally {
      await timed.beforeApplicationShutdown();
    }
  });

  it('hands the events to Kafka through the outbox relay', async () => {
    await waitFor(
      async () => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE type = 'transfer.progress-updated.v1' AND sent_at IS NULL`))[0].n) === 0,
      { timeoutMs: 30000, what: 'the relay to send the progress events' },
    );
  });
});
