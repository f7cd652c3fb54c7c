import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { runInContext } from '@imb/contracts';
import { createTestDataSource } from '@imb/testing';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';
import { AuditLogEntity } from './audit-log.entity';
import { AuditModule } from './audit.module';
import { AuditService } from './audit.service';
import { AuditMigrations } from './migrations';
import { AuditEntry, recordAudit } from './record-audit';
import { searchAudit } from './search-audit';
import { verifyAuditChain } from './verify-audit-chain';

describe('audit_log against PostgreSQL', () => {
  let dataSource: DataSource;
  let destroy: () => Promise<void>;

  beforeEach(async () => {
    ({ dataSource, destroy } = await createTestDataSource({
      name: 'audit',
      entities: [AuditLogEntity],
      migrations: AuditMigrations,
    }));
  });
  afterEach(() => destroy());

  const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
    action: 'stage.advanced',
    entity: 'StateTransfer',
    entityId: `st-${n}`,
    stateCode: '09',
    before: { stage: 'diagnosis', n },
    after: { stage: 'transfer', n, checklist: [1, 2, 3] },
    reason: 'checklist complete',
    actor: 'user-1',
    ...extra,
  });
  const record = (e: AuditEntry) => dataSource.transaction((m) => recordAudit(m, e));
  const count = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM audit_log`))[0].n);
  /** Runs SQL with user triggers off, as a superuser bypassing the append-only guard would. */
  const behindTheTriggersBack = async (sql: string, params: unknown[] = []) => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(sql, params);
    } finally {
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
    }
  };

  it('chains records and reads them back as written', async () => {
    const first = await record(entry(1));
    const second = await record(entry(2, { before: null, after: ['a', { z: 1, a: 2 }] }));
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(Number(second.seq)).toBeGreaterThan(Number(first.seq));
    expect(second.occurredAt.getTime()).toBeGreaterThanOrEqual(first.occurredAt.getTime());

    const stored = await dataSource.getRepository(AuditLogEntity).findOneByOrFail({ id: second.id });
    expect({ ...stored }).toEqual({ ...second });
    expect(await verifyAuditChain(dataSource)).toEqual({ valid: true, checked: 2 });
  });

  it('takes actor and correlation id from the execution context', async () => {
    const written = await runInContext({ correlationId: 'corr-7', actor: 'user-7' }, () =>
      record(entry(1, { actor: undefined })),
    );
    expect(written).toMatchObject({ actor: 'user-7', correlationId: 'corr-7' });
  });

  it('refuses misuse with a clear error and writes nothing', async () => {
    await expect(recordAudit(dataSource.manager, entry(1))).rejects.toMatchObject({
      code: 'AUDIT_NO_TRANSACTION',
    });
    await expect(record(entry(1, { actor: undefined }))).rejects.toMatchObject({
      code: 'AUDIT_ACTOR_MISSING',
    });
    await expect(
      dataSource.transaction('REPEATABLE READ', (m) => recordAudit(m, entry(1))),
    ).rejects.toMatchObject({
      code: 'AUDIT_ISOLATION',
    });
    expect(await count()).toBe(0);
  });

  it('leaves no trace of a rolled-back transaction, and the chain carries on', async () => {
    await expect(
      dataSource.transaction(async (m) => {
        await recordAudit(m, entry(1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count()).toBe(0);

    const next = await record(entry(2));
    expect(next.prevHash).toBe(GENESIS_HASH);
    expect(await verifyAuditChain(dataSource)).toEqual({ valid: true, checked: 1 });
  });

  it('keeps the chain linear under 20 concurrent transactions', async () => {
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        dataSource.transaction(async (m: EntityManager) => {
          // Work before and after the record keeps transactions overlapping while they hold the lock.
          await m.query(`SELECT pg_sleep(0.01)`);
          const r = await recordAudit(m, entry(i));
          await m.query(`SELECT pg_sleep(0.01)`);
          return r;
        }),
      ),
    );
    const ordered = written.sort((a, b) => Number(a.seq) - Number(b.seq));
    ordered.forEach((r, i) => expect(r.prevHash).toBe(i === 0 ? GENESIS_HASH : ordered[i - 1].hash));
    expect(await verifyAuditChain(dataSource, { batchSize: 3 })).toEqual({ valid: true, checked: 20 });
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET reason = 'edited'`, /audit_log is append-only: UPDATE refused/],
    ['UPDATE of no row', `UPDATE audit_log SET reason = 'edited' WHERE false`, /append-only: UPDATE refused/],
    ['DELETE', `DELETE FROM audit_log`, /audit_log is append-only: DELETE refused/],
    ['TRUNCATE', `TRUNCATE audit_log`, /audit_log is append-only: TRUNCATE refused/],
  ])('refuses %s in the database', async (_name, sql, message) => {
    await record(entry(1));
    await expect(dataSource.query(sql)).rejects.toThrow(message);
    expect(await count()).toBe(1);
  });

  it('reverts its migration cleanly', async () => {
    await record(entry(1));
    await dataSource.undoLastMigration();
    const [{ table, fn }] = await dataSource.query(
      `SELECT to_regclass('audit_log') AS table, to_regproc('audit_log_refuse_change') AS fn`,
    );
    expect({ table, fn }).toEqual({ table: null, fn: null });
  });

  describe('verify finds tampering done behind the trigger', () => {
    let seqs: string[];
    beforeEach(async () => {
      seqs = [];
      for (let i = 1; i <= 5; i++) seqs.push((await record(entry(i))).seq);
    });

    it('an altered field, at the altered record', async () => {
      await behindTheTriggersBack(`UPDATE audit_log SET after = '{"stage":"closed"}' WHERE seq = $1`, [
        seqs[2],
      ]);
      const result = await verifyAuditChain(dataSource, { batchSize: 2 });
      expect(result).toMatchObject({ valid: false, checked: 3, firstBrokenAt: { seq: seqs[2] } });
      expect(result.firstBrokenAt?.reason).toMatch(/does not match the record's content/);
    });

    it('an altered record whose hash was recomputed too, at its successor', async () => {
      await dataSource.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await dataSource.query(`UPDATE audit_log SET reason = 'nothing happened' WHERE seq = $1`, [seqs[1]]);
      const altered = await dataSource.getRepository(AuditLogEntity).findOneByOrFail({ seq: seqs[1] });
      await dataSource.query(`UPDATE audit_log SET hash = $1 WHERE seq = $2`, [
        computeAuditHash(altered),
        seqs[1],
      ]);
      await dataSource.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);

      const result = await verifyAuditChain(dataSource);
      expect(result).toMatchObject({ valid: false, checked: 3, firstBrokenAt: { seq: seqs[2] } });
      expect(result.firstBrokenAt?.reason).toMatch(/previous record was altered or removed/);
    });

    it('a removed record, at its successor', async () => {
      await behindTheTriggersBack(`DELETE FROM audit_log WHERE seq = $1`, [seqs[3]]);
      const result = await verifyAuditChain(dataSource);
      expect(result).toMatchObject({ valid: false, checked: 4, firstBrokenAt: { seq: seqs[4] } });
      expect(result.firstBrokenAt?.reason).toMatch(/previous record was altered or removed/);
    });
  });

  it('searches with filters and pages, newest first', async () => {
    for (let i = 0; i < 12; i++) {
      await record(
        entry(i % 3, { entity: i % 2 === 0 ? 'StateTransfer' : 'Gate', actor: i < 6 ? 'ana' : 'luis' }),
      );
    }
    const all = await searchAudit(dataSource, { pageSize: 5 });
    expect(all).toMatchObject({ total: 12, page: 1, pageSize: 5 });
    expect(all.items.map((r) => Number(r.seq))).toEqual([12, 11, 10, 9, 8]);
    const last = await searchAudit(dataSource, { page: 3, pageSize: 5 });
    expect(last.items.map((r) => Number(r.seq))).toEqual([2, 1]);

    const gatesByLuis = await searchAudit(dataSource, { entity: 'Gate', actor: 'luis' });
    expect(gatesByLuis.items.map((r) => Number(r.seq))).toEqual([12, 10, 8]);
    const one = await searchAudit(dataSource, { entity: 'StateTransfer', entityId: 'st-0' });
    expect(one.items.map((r) => Number(r.seq))).toEqual([7, 1]);
    expect((await searchAudit(dataSource, { stateCode: '10' })).total).toBe(0);

    const seventh = (await searchAudit(dataSource, { page: 6, pageSize: 1 })).items[0];
    const since = await searchAudit(dataSource, { from: seventh.occurredAt });
    expect(since.items.every((r) => r.occurredAt >= seventh.occurredAt)).toBe(true);
    expect(since.items.map((r) => r.id)).toContain(seventh.id);
    const before = await searchAudit(dataSource, { to: seventh.occurredAt, pageSize: 1000 });
    expect(before.items.map((r) => r.id)).not.toContain(seventh.id);
    expect(before.items.every((r) => r.occurredAt < seventh.occurredAt)).toBe(true);

    await expect(searchAudit(dataSource, { pageSize: 1001 })).rejects.toMatchObject({
      code: 'AUDIT_INVALID_QUERY',
    });
    await expect(searchAudit(dataSource, { page: 0 })).rejects.toMatchObject({ code: 'AUDIT_INVALID_QUERY' });
    // 1e308 is an integer to JavaScript: unbounded, it reached SQL as OFFSET Infinity.
    await expect(searchAudit(dataSource, { page: 1e308 })).rejects.toMatchObject({
      code: 'AUDIT_INVALID_QUERY',
    });
  });
});

describe('AuditModule over HTTP, wired as a service wires it', () => {
  let dataSource: DataSource;
  let destroy: () => Promise<void>;
  let app: INestApplication;

  beforeAll(async () => {
    ({ dataSource, destroy } = await createTestDataSource({
      name: 'audit_http',
      entities: [AuditLogEntity],
      migrations: AuditMigrations,
    }));
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: () => Promise.resolve(dataSource),
        }),
        AuditModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await destroy();
  });

  it('records through the injected service and serves search and verify', async () => {
    const audit = app.get(AuditService);
    for (let i = 0; i < 3; i++) {
      await dataSource.transaction((m) =>
        audit.record(m, {
          action: 'unit.registered',
          entity: 'Unit',
          entityId: `u-${i}`,
          actor: 'system:transfer',
        }),
      );
    }
    const page = await request(app.getHttpServer()).get('/audit?entity=Unit&pageSize=2').expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items.map((r: { entityId: string }) => r.entityId)).toEqual(['u-2', 'u-1']);
    await request(app.getHttpServer()).get('/audit?pageSize=5000').expect(400);
    await request(app.getHttpServer()).get('/audit?page=1e308').expect(400);
    await request(app.getHttpServer()).get('/audit/verify').expect(200, { valid: true, checked: 3 });
  });
});
