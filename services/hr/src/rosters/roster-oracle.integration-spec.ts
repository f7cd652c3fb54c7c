import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '@imb/auth';
import { curpCheckDigit } from '@imb/contracts';
import { DomainError } from '@imb/platform';
import { createTestDataSource } from '@imb/testing';
import { hrSchema } from '../schema';
import { takeRosterImport } from './roster-import-budget';
import { ROSTER_IMPORT } from './roster-import.processor';
import { applyRosterChunk } from './roster-import.writer';
import type { RosterRow } from './roster-row';

/**
 * A roster dry run as an oracle (real PostgreSQL): an HR officer of Nayarit learns that a CURP
 * holds a post elsewhere (she must not hire that person twice), not where, and only as many
 * times an hour as ROSTER_IMPORTS_PER_HOUR allows.
 */
const HIDALGO_CURP = `PELJ900215MHGRRS0${curpCheckDigit('PELJ900215MHGRRS0')}`;
const nadia: Principal = { sub: 'nadia', roles: ['hr-officer'], states: ['18'] };

describe('roster imports and the other states’ rosters (PostgreSQL)', () => {
  let ctx: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;

  beforeAll(async () => {
    ctx = await createTestDataSource({ name: 'hr_roster_oracle', ...hrSchema });
    ds = ctx.dataSource;
    const [nayarit, hidalgo, worker, post] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await ds.query(`INSERT INTO hr_unit (unit_id, clues, state_code, name) VALUES ($1, 'NTIMB000016', '18', 'TEPIC'), ($2, 'HGIMB000001', '13', 'PACHUCA')`, [nayarit, hidalgo]);
    await ds.query(`INSERT INTO worker (id, curp, name, state_code) VALUES ($1, $2, 'Juana Pérez López', '13')`, [worker, HIDALGO_CURP]);
    await ds.query(`INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason) VALUES ($1, '13', 'HG-000777', 'M01006', $2, true, 'occupied', 'roster')`, [post, hidalgo]);
    await ds.query(`INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on) VALUES ($1, $2, $3, '13', 'base', 'state-payroll', '2015-01-01')`, [randomUUID(), post, worker]);
  });

  afterAll(() => ctx?.destroy());

  it('tells a dry run that a CURP holds a post in another state, not which state nor which post', async () => {
    const row: RosterRow = {
      row: 2,
      postNumber: 'NT-000001',
      postCode: 'M01006',
      clues: 'NTIMB000016',
      funded: true,
      postStatus: 'occupied',
      worker: { curp: HIDALGO_CURP, rfc: null, name: 'Juana Pérez López', profession: 'MEDICINA', licence: null },
      contract: { type: 'eventual', origin: 'state-payroll', startsOn: '2024-01-01', endsOn: null },
    };
    const outcome = await ds.transaction((m) =>
      applyRosterChunk(m, { stateCode: '18', jobId: `hr-${randomUUID()}`, reason: 'dry run', dryRun: true, endBaseContracts: false, postCodes: new Set(['M01006']) }, [row]),
    );
    expect(outcome).toMatchObject({ valid: 0 });
    expect(outcome.errors).toEqual([
      { row: 2, field: 'CURP', message: `duplicate: CURP ${HIDALGO_CURP} already holds a post in another state; flagged for review, not duplicated` },
    ]);
    expect(JSON.stringify(outcome.errors)).not.toMatch(/Hidalgo|13|HGIMB000001|HG-000777|base/);
  });

  describe('the hourly budget of imports per person', () => {
    /** Starts an import as RostersService does: the budget, then the job, in one transaction. */
    const start = (user: Principal, perHour: number) =>
      ds.transaction(async (m) => {
        await takeRosterImport(m, user, perHour);
        // Holds the transaction open a moment, so a second request arrives before this one commits.
        await m.query(`SELECT pg_sleep(0.2)`);
        await job(user.sub, 0, m);
      });
    const job = (createdBy: string, minutesAgo: number, m = ds.manager, kind = ROSTER_IMPORT) =>
      m.query(
        `INSERT INTO job (id, kind, status, request, state_codes, created_by, correlation_id, created_at)
         VALUES ($1, $2, 'completed', '{}', '{18}', $3, $4, now() - make_interval(mins => $5))`,
        [`hr-${randomUUID()}`, kind, createdBy, randomUUID(), minutesAgo],
      );

    it('lets a person start ROSTER_IMPORTS_PER_HOUR imports an hour, dry runs included, then answers 429 naming the limit', async () => {
      await job('nadia', 59);
      await job('nadia', 120); // out of the hour
      await job('nadia', 1, ds.manager, 'hr.formalization-eligibility'); // not an import
      await job('luis', 1); // someone else's
      await start(nadia, 3);
      await start(nadia, 3);

      const refused = await start(nadia, 3).then(
        () => null,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'ROSTER_IMPORT_LIMIT', httpStatus: 429, details: { limit: 3 } });
      expect((refused as DomainError).message).toBe(
        'You have started 3 roster imports (dry runs included) in the last hour, the most one person may (ROSTER_IMPORTS_PER_HOUR = 3); the next one is possible in 1 min.',
      );
      // The oldest of the three leaves the hour in about a minute.
      expect((refused as DomainError).details!.retryAfterSeconds).toBeGreaterThan(0);
      expect((refused as DomainError).details!.retryAfterSeconds).toBeLessThanOrEqual(60);

      await start({ sub: 'luis', roles: ['hr-officer'], states: ['13'] }, 3);
      // Federal coordinators read every state's roster: nothing to bound.
      await start({ sub: 'nadia', roles: ['federal-coordinator'], states: [] }, 3);
    });

    it('lets only one of two requests at once take the last import of the hour', async () => {
      const rosa: Principal = { sub: 'rosa', roles: ['hr-officer'], states: ['18'] };
      const outcomes = await Promise.allSettled([start(rosa, 1), start(rosa, 1)]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const [{ count }] = await ds.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM job WHERE created_by = 'rosa'`);
      expect(count).toBe(1);
    });
  });
});
