import { Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { AuditChainAnchored, runInContext } from '@imb/contracts';
import { MessagingMigrations } from '@imb/messaging';
import { PLATFORM_OPTIONS } from '@imb/platform';
import { createTestDataSource } from '@imb/testing';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';
import { AuditAnchorPublisher } from './audit-anchor-publisher';
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

  it('reverts its migrations cleanly', async () => {
    await record(entry(1));
    for (let n = 0; n < AuditMigrations.length; n++) await dataSource.undoLastMigration();
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

    const hashOf = async (seq: string) =>
      (await dataSource.query(`SELECT hash FROM audit_log WHERE seq = $1`, [seq]))[0].hash as string;

    /** Rewrites records from `from` on as one who knows the hashing would: every link and hash recomputed. */
    const rewriteFrom = async (from: number, change: (r: AuditLogEntity) => void) => {
      const rows = await dataSource.getRepository(AuditLogEntity).find({ order: { seq: 'ASC' } });
      let prev = from === 0 ? GENESIS_HASH : rows[from - 1].hash;
      for (const row of rows.slice(from)) {
        if (row.seq === seqs[from]) change(row);
        row.prevHash = prev;
        row.hash = computeAuditHash(row);
        prev = row.hash;
      }
      for (const row of rows.slice(from)) {
        await behindTheTriggersBack(`UPDATE audit_log SET reason = $1, prev_hash = 'x' || seq, hash = 'y' || seq WHERE seq = $2`, [row.reason, row.seq]);
      }
      for (const row of rows.slice(from)) {
        await behindTheTriggersBack(`UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3`, [row.prevHash, row.hash, row.seq]);
      }
    };

    it('records removed from the end: the chain alone stays valid, its published head does not', async () => {
      const head = { seq: seqs[4], hash: await hashOf(seqs[4]) };
      const earlier = { seq: seqs[1], hash: await hashOf(seqs[1]) };
      await behindTheTriggersBack(`DELETE FROM audit_log WHERE seq >= $1`, [seqs[3]]);
      expect(await verifyAuditChain(dataSource)).toEqual({ valid: true, checked: 3 });
      const result = await verifyAuditChain(dataSource, { anchors: [head, earlier] });
      expect(result).toMatchObject({ valid: false, checked: 3, anchorsChecked: 2, firstBrokenAt: { seq: seqs[4] } });
      expect(result.firstBrokenAt?.id).toBeUndefined();
      expect(result.firstBrokenAt?.reason).toMatch(new RegExp(`the chain ends at seq ${seqs[2]}: records were removed from its end`));
    });

    it('a chain rewritten with every hash recomputed: valid alone, caught at the first anchor after the change', async () => {
      const anchors = [{ seq: seqs[0], hash: await hashOf(seqs[0]) }, { seq: seqs[3], hash: await hashOf(seqs[3]) }];
      await rewriteFrom(2, (r) => (r.reason = 'nothing happened'));
      expect(await verifyAuditChain(dataSource)).toEqual({ valid: true, checked: 5 });
      const result = await verifyAuditChain(dataSource, { anchors });
      expect(result).toMatchObject({ valid: false, checked: 4, firstBrokenAt: { seq: seqs[3] } });
      expect(result.firstBrokenAt?.reason).toMatch(/published when this record was the chain's head: the chain was rewritten/);
    });

    it('an anchored record removed and the chain relinked around it: caught where it should be', async () => {
      const anchor = { seq: seqs[2], hash: await hashOf(seqs[2]) };
      await behindTheTriggersBack(`DELETE FROM audit_log WHERE seq = $1`, [seqs[2]]);
      seqs.splice(2, 1);
      await rewriteFrom(2, () => undefined);
      expect(await verifyAuditChain(dataSource)).toEqual({ valid: true, checked: 4 });
      const result = await verifyAuditChain(dataSource, { anchors: [anchor] });
      expect(result).toMatchObject({ valid: false, checked: 3, firstBrokenAt: { seq: anchor.seq } });
      expect(result.firstBrokenAt?.reason).toMatch(/is missing \(the chain skips it\)/);
    });

    it('an intact chain against its anchors', async () => {
      const anchors = await Promise.all(seqs.map(async (seq) => ({ seq, hash: await hashOf(seq) })));
      expect(await verifyAuditChain(dataSource, { anchors })).toEqual({ valid: true, checked: 5, anchorsChecked: 5 });
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
      migrations: [...MessagingMigrations, ...AuditMigrations],
    }));
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: () => Promise.resolve(dataSource),
        }),
        PlatformOptions,
        AuditModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>();
    // The services' body limit (BaseConfig.BODY_LIMIT), which the most anchors a verification takes fit under.
    (app as NestExpressApplication).useBodyParser('json', { limit: '1mb' });
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

  it('publishes the chain head through the outbox once per move, and verifies against anchors', async () => {
    const publisher = app.get(AuditAnchorPublisher);
    const audit = app.get(AuditService);
    const record = () =>
      dataSource.transaction((m) =>
        audit.record(m, { action: 'unit.registered', entity: 'Unit', entityId: 'u-x', actor: 'system:transfer' }),
      );
    const head = await record();
    await publisher.publishHead();
    expect(await publisher.publishHead()).toBeUndefined(); // the head did not move: nothing new
    const anchors = await dataSource.query(
      `SELECT event::jsonb->'data' AS data FROM outbox WHERE topic = $1 AND type = $2 ORDER BY seq`,
      [AuditChainAnchored.transfer.topic, AuditChainAnchored.transfer.type],
    );
    expect(anchors.at(-1).data).toEqual({
      service: 'transfer',
      seq: head.seq,
      hash: head.hash,
      occurredAt: head.occurredAt.toISOString(),
    });

    const server = app.getHttpServer();
    await request(server)
      .post('/audit/verify')
      .send({ anchors: [{ seq: head.seq, hash: head.hash }] })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ valid: true, anchorsChecked: 1 }));
    const forged = { seq: head.seq, hash: 'f'.repeat(64) };
    await request(server)
      .post('/audit/verify')
      .send({ anchors: [forged] })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ valid: false, firstBrokenAt: { seq: head.seq } }));
    await request(server).post('/audit/verify').send({ anchors: [{ seq: '0', hash: 'x' }] }).expect(400);
    await request(server).post('/audit/verify').send({}).expect(400);
    const tooMany = Array.from({ length: 5001 }, (_, i) => ({ seq: String(i + 1), hash: 'a'.repeat(64) }));
    await request(server).post('/audit/verify').send({ anchors: tooMany }).expect(400);
  });
});

/** What PlatformModule provides to the audit module in a service: its name and environment. */
@Global()
@Module({
  providers: [{ provide: PLATFORM_OPTIONS, useValue: { service: 'transfer', database: false, env: {} } }],
  exports: [PLATFORM_OPTIONS],
})
class PlatformOptions {}
