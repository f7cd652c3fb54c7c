import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { RunningService, ServiceStack, uniqueName, waitFor, waitForJob } from '@imb/testing';

/**
 * The allocation job writes its whole result (allocations, left-out list, programme totals, audit
 * record, `allocation-computed` event) in one set-based transaction, without checkpoints mid-way: a
 * partial allocation would be visible and wrong (the priority rule ranks every unit against the
 * one envelope), so there is nothing worth resuming mid-way. The proof that this is crash-safe:
 * the service is killed with SIGKILL while that transaction holds 12,000 units' uncommitted rows;
 * nothing of it survives, the job resumes on a new process, and the result is written exactly
 * once — the same as an allocation that never crashed. The other side of that transaction: an
 * attempt that fails after it committed (the fault suite once dropped the connection of the job's
 * completion) is repeated, and must answer with what was committed, not compute again from inputs
 * that changed meanwhile — one request, one `allocation-computed` event.
 */
describe('allocation: the service killed mid-allocation', () => {
  const UNITS = 12_000;
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  // One stack per test: each test's service has its own database, Kafka namespace and Redis.
  const crash = new ServiceStack('e2e-dignif-crash');
  const repeat = new ServiceStack('e2e-dignif-repeat');

  afterAll(() => Promise.all([crash.stop(), repeat.stop()]));

  // Stage of each seeded state. The rules file below says a state has joined only from PAYROLL on.
  const STATES: Record<string, { prefix: string; stage: string }> = {
    '13': { prefix: 'HG', stage: 'OPERATION' },
    '20': { prefix: 'OC', stage: 'PAYROLL' },
    '21': { prefix: 'PL', stage: 'HANDOVER' },
    '14': { prefix: 'JC', stage: 'DECLINED' },
  };
  const TYPOLOGIES: [string, string][] = [
    ['RURAL DE 01 NÚCLEO BÁSICO', 'RURAL'],
    ['RURAL DE 01 NÚCLEO BÁSICO', 'RURAL'],
    ['RURAL DE 02 NÚCLEOS BÁSICOS', 'RURAL'],
    ['URBANO DE 01 NÚCLEOS BÁSICOS', 'URBANO'],
    ['URBANO DE 03 NÚCLEOS BÁSICOS', 'URBANO'],
    ['URBANO DE 07 NÚCLEOS BÁSICOS', 'URBANO'],
    ['CENTRO DE SALUD CON SERVICIOS AMPLIADOS', 'URBANO'],
    ['UNIDAD MÓVIL', 'URBANO'],
  ];

  it('rolls back everything of the killed run; the resumed job allocates exactly once, as an uninterrupted run would', async () => {
    mkdirSync(crash.storageDir('dignification'), { recursive: true });
    const rulesFile = join(crash.storageDir('dignification'), 'rules.json');
    writeFileSync(rulesFile, JSON.stringify({ joinedStages: ['PAYROLL', 'OPERATION'] }));
    const first = await crash.start('dignification', {
      DIGNIFICATION_RULES_FILE: rulesFile,
      // A dead worker's job is taken up again within seconds instead of a minute.
      JOBS_LOCK_DURATION_MS: '3000',
      JOBS_STALLED_INTERVAL_MS: '1000',
    });
    const database = crash.database('dignification');
    const db = await crash.connect('dignification');
    const codes = Object.keys(STATES);
    const units = Array.from({ length: UNITS }, (_, i) => {
      const state = codes[i % codes.length];
      const [typology, stratum] = TYPOLOGIES[Math.floor(i / codes.length) % TYPOLOGIES.length];
      return { id: randomUUID(), clues: `${STATES[state].prefix}IMB${String(i).padStart(6, '0')}`, state, typology, stratum };
    });
    await db.query(
      `INSERT INTO eligible_unit (unit_id, clues, state_code, name, establishment_type, typology, care_level, stratum, eligible, exclusion_reason)
       SELECT id, clues, st, 'CENTRO DE SALUD', 'DE CONSULTA EXTERNA', typ, 'PRIMER NIVEL', str, true, NULL
         FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[]) AS t(id, clues, st, typ, str)`,
      [units.map((u) => u.id), units.map((u) => u.clues), units.map((u) => u.state), units.map((u) => u.typology), units.map((u) => u.stratum)],
    );
    await db.query(
      `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
       SELECT code, 'State ' || code, stage, now(), 1, gen_random_uuid(), now(), now() FROM unnest($1::char(2)[], $2::text[]) AS t(code, stage)`,
      [codes, codes.map((c) => STATES[c].stage)],
    );

    const bearer = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    const call = async (svc: RunningService, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${svc.url}/api/${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await res.json()) as any;
    };
    // Short of the need of the joined states' eligible units, so the priority rule decides who is left out.
    const envelope = 1_500_000_000;
    const crashed = (await call(first, 'POST', 'dignification/programmes', { year: 2031, envelope })).id as string;
    const clean = (await call(first, 'POST', 'dignification/programmes', { year: 2032, envelope })).id as string;

    // Hold the allocation's transaction mid-way: it has written the 12,000 allocation upserts and
    // waits for the left-out table, which this session locks.
    const locker = await crash.connect('dignification');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE allocation_left_out IN ACCESS EXCLUSIVE MODE');
    const { jobId } = await call(first, 'POST', `dignification/programmes/${crashed}/allocate`);
    const blocked = `SELECT count(*)::int AS n FROM pg_stat_activity
                      WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM allocation_left_out%'`;
    await waitFor(async () => (await db.query(blocked, [database])).rows[0].n === 1, { timeoutMs: 60000, what: 'the allocation to be mid-transaction' });
    const job = async (svc: RunningService) => call(svc, 'GET', `jobs/${jobId}`);
    expect(await job(first)).toMatchObject({ status: 'running', attempts: 1 });

    await first.stop('SIGKILL');
    // Released: the orphaned backend runs on, fails to answer its dead client, and its transaction rolls back.
    await locker.query('ROLLBACK');
    const inFlight = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'DELETE FROM allocation_left_out%' AND state <> 'idle'`;
    await waitFor(async () => (await db.query(inFlight, [database])).rows[0].n === 0, { timeoutMs: 30000, what: 'the killed transaction to end' });
    const figures = async (programmeId: string) =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM allocation WHERE programme_id = $1::text::uuid)::int AS allocated,
                  (SELECT count(*) FROM allocation_left_out WHERE programme_id = $1::text::uuid)::int AS left_out,
                  (SELECT count(*) FROM outbox WHERE type = 'dignification.allocation-computed.v1' AND key = $1::text)::int AS events,
                  (SELECT count(*) FROM audit_log WHERE action = 'allocation.computed' AND entity_id = $1::text)::int AS audits,
                  (SELECT computed_at IS NOT NULL FROM programme WHERE id = $1::text::uuid) AS computed`,
          [programmeId],
        )
      ).rows[0];
    expect(await figures(crashed)).toEqual({ allocated: 0, left_out: 0, events: 0, audits: 0, computed: false });

    // A fresh Kafka namespace for the new process: rejoining the dead process's consumer groups
    // waits out its 30 s session, which has nothing to do with the job being resumed.
    const second = await crash.restart('dignification', { KAFKA_NAMESPACE: uniqueName('e2e-dignif-crash-2') });
    const done = await waitForJob(second, jobId, bearer);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, result: { changed: true } });
    const after = await figures(crashed);
    expect(after).toMatchObject({ events: 1, audits: 1, computed: true });
    expect(after.allocated + after.left_out).toBe(UNITS);

    // The same inputs allocated without a crash give the same result, unit for unit.
    const { jobId: cleanJob } = await call(second, 'POST', `dignification/programmes/${clean}/allocate`);
    await waitFor(async () => (await call(second, 'GET', `jobs/${cleanJob}`)).status === 'completed', { timeoutMs: 60000, what: 'the uninterrupted allocation' });
    const funded = async (programmeId: string) =>
      (await db.query(`SELECT unit_id, tier, amount, rank FROM allocation WHERE programme_id = $1 ORDER BY rank`, [programmeId])).rows.map((r) => ({ ...r }));
    const leftOut = async (programmeId: string) =>
      (await db.query(`SELECT unit_id, reason FROM allocation_left_out WHERE programme_id = $1 ORDER BY unit_id`, [programmeId])).rows.map((r) => ({ ...r }));
    expect(await funded(crashed)).toEqual(await funded(clean));
    expect(await leftOut(crashed)).toEqual(await leftOut(clean));
    const summary = await call(second, 'GET', `dignification/programmes/${crashed}/allocations`);
    expect(summary.total).toBe((await call(second, 'GET', `dignification/programmes/${clean}/allocations`)).total);
    expect(summary.total).toBeLessThanOrEqual(envelope);
    expect(summary.leftOut.some((l: any) => l.reason === 'ENVELOPE_EXHAUSTED')).toBe(true);

    // The joined-state rule came from the rules file: HANDOVER and DECLINED states' units are left out as not joined.
    const reasons = (await db.query(`SELECT state_code, reason, count(*)::int AS n FROM allocation_left_out WHERE programme_id = $1 GROUP BY 1, 2`, [crashed])).rows;
    const notJoined = reasons.filter((r) => r.reason === 'STATE_NOT_JOINED').map((r) => r.state_code).sort();
    expect(notJoined).toEqual(['14', '21']);
    const perState = UNITS / codes.length;
    const mobilePerState = perState / TYPOLOGIES.length;
    expect(reasons.filter((r) => r.state_code === '21').reduce((n, r) => n + r.n, 0)).toBe(perState);
    expect(reasons.find((r) => r.state_code === '21' && r.reason === 'STATE_NOT_JOINED').n).toBe(perState - mobilePerState);
    expect((await db.query(`SELECT count(*)::int AS n FROM allocation WHERE programme_id = $1 AND state_code IN ('14', '21')`, [crashed])).rows[0].n).toBe(0);
    const programmeRules = (await call(second, 'GET', `dignification/programmes/${crashed}`)).rules;
    expect(programmeRules.joinedStages).toEqual(['PAYROLL', 'OPERATION']);

    // Running it again changes nothing and emits nothing.
    const { jobId: rerun } = await call(second, 'POST', `dignification/programmes/${crashed}/allocate`);
    const rerunView = await waitFor(
      async () => {
        const view = await call(second, 'GET', `jobs/${rerun}`);
        return view.status === 'completed' ? view : undefined;
      },
      { timeoutMs: 60000, what: 'the re-run' },
    );
    expect(rerunView.result).toMatchObject({ changed: false });
    expect(await figures(crashed)).toEqual(after);
  });

  it('an attempt repeated after the allocation committed answers with that allocation: one request, one event, though the inputs changed', async () => {
    const svc = await repeat.start('dignification');
    const repeated = repeat.database('dignification');
    const pg = await repeat.connect('dignification');
    const addUnits = (n: number, from: number) =>
      pg.query(
        `INSERT INTO eligible_unit (unit_id, clues, state_code, name, establishment_type, typology, care_level, stratum, eligible, exclusion_reason)
         SELECT gen_random_uuid(), 'HGIMB' || lpad(i::text, 6, '0'), '13', 'CENTRO DE SALUD', 'DE CONSULTA EXTERNA',
                'RURAL DE 01 NÚCLEO BÁSICO', 'PRIMER NIVEL', 'RURAL', true, NULL
           FROM generate_series($1::int, $1::int + $2::int - 1) AS i`,
        [from, n],
      );
    await addUnits(40, 0);
    await pg.query(
      `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
       VALUES ('13', 'Hidalgo', 'OPERATION', now(), 1, gen_random_uuid(), now(), now())`,
    );
    // Holds the completion of allocation jobs (not their transaction) while this test holds an advisory lock.
    await pg.query(`
      CREATE FUNCTION hold_allocation_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'completed' AND NEW.kind = 'dignification.allocation' THEN PERFORM pg_advisory_xact_lock(8131); END IF;
        RETURN NEW;
      END $$`);
    await pg.query(`CREATE TRIGGER hold_allocation_completion BEFORE UPDATE ON job FOR EACH ROW EXECUTE FUNCTION hold_allocation_completion()`);
    await pg.query(`SELECT pg_advisory_lock(8131)`);

    const bearer = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    const call = async (method: string, path: string) => {
      const res = await fetch(`${svc.url}/api/${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
      return (await res.json()) as any;
    };
    const create = await fetch(`${svc.url}/api/dignification/programmes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2033, envelope: 1_000_000_000 }),
    });
    const programmeId = ((await create.json()) as any).id as string;
    const { jobId } = await call('POST', `dignification/programmes/${programmeId}/allocate`);
    const events = async () =>
      (await pg.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'dignification.allocation-computed.v1' AND key = $1`, [programmeId])).rows[0].n;
    const completing = `SELECT pid FROM pg_stat_activity
                         WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'UPDATE job SET status = ''completed''%'`;
    // The allocation committed (its event is in the outbox); the job's completion waits.
    const held = await waitFor(async () => (await pg.query(completing, [repeated])).rows[0], { timeoutMs: 60000, what: 'the completion to wait' });
    expect(await events()).toBe(1);
    expect(await call('GET', `jobs/${jobId}`)).toMatchObject({ status: 'running', attempts: 1 });

    // Meanwhile the inputs change (more units arrive), and the completion's connection is dropped:
    // the attempt fails after its commit and the job is tried again.
    await addUnits(5, 40);
    await pg.query(`SELECT pg_terminate_backend($1)`, [held.pid]);
    await pg.query(`SELECT pg_advisory_unlock(8131)`);
    const done = await waitForJob(svc, jobId, bearer);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, result: { changed: true, units: 40 } });
    expect(await events()).toBe(1);
    expect((await pg.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'allocation.computed' AND entity_id = $1`, [programmeId])).rows[0].n).toBe(1);

    // A new request after the inputs changed is a new computation: it allocates the new units, once.
    const { jobId: again } = await call('POST', `dignification/programmes/${programmeId}/allocate`);
    const second = await waitForJob(svc, again, bearer);
    expect(second).toMatchObject({ status: 'completed', attempts: 1, result: { changed: true, units: 45 } });
    expect(await events()).toBe(2);
  });
});
