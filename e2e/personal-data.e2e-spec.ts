import { randomUUID } from 'node:crypto';
import { ALL_ROLES, DevTokenIssuer, loadAuthConfig, PERSONAL_DATA_POLICY, type Role } from '@imb/auth';
import { curpCheckDigit } from '@imb/contracts';
import { RunningService, ServiceStack } from '@imb/testing';

/**
 * Personal data by role (ARCHITECTURE rule 9, docs/data-access.md) on the real hr service: one
 * occupied post, one flagged CURP and one roster job whose row error quotes the CURP in Nayarit
 * (18), read by a token of each role for that state.
 * What each role should get is read from PERSONAL_DATA_POLICY, the table the routes enforce, not
 * from the routes' decorators; the masked values are spelled out here so a change of the masking
 * functions shows as a failure too.
 */
const STATE = '18';
const CURP = `GOMA850101HNTRRR0${curpCheckDigit('GOMA850101HNTRRR0')}`;
const FLAGGED = `PELJ900215MHGRRS0${curpCheckDigit('PELJ900215MHGRRS0')}`;
const WHOLE = { curp: CURP, name: 'Ana María Gómez Ruiz', rfc: 'GORA850101AB1', licence: '12345678' };
const MASKED = { curp: 'GOMA**************', name: 'A. M. G. R.', rfc: 'GORA*********', licence: '********' };
const CONTRACT = { profession: 'MEDICINA', type: 'eventual', origin: 'state-payroll', startsOn: '2020-01-01', endsOn: null };
/** A roster dry run of the state whose row error quotes the CURP. */
const JOB = `hr-${randomUUID()}`;

describe('hr: personal data follows the written policy', () => {
  const stack = new ServiceStack('e2e-pdata');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  const tokens = {} as Record<Role, string>;
  const campaign = randomUUID();
  let hr: RunningService;

  beforeAll(async () => {
    hr = await stack.start('hr');
    const unit = randomUUID();
    const worker = randomUUID();
    const post = randomUUID();
    const contract = randomUUID();
    await stack.query('hr', `INSERT INTO hr_unit (unit_id, clues, state_code, name) VALUES ($1, 'NTIMB000016', $2, 'Centro de Salud Tepic')`, [unit, STATE]);
    await stack.query('hr', `INSERT INTO worker (id, curp, rfc, name, profession, licence, state_code) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      worker, CURP, WHOLE.rfc, WHOLE.name, CONTRACT.profession, WHOLE.licence, STATE,
    ]);
    await stack.query('hr', `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason) VALUES ($1, $2, 'P-000001', 'M01006', $3, true, 'occupied', 'roster')`, [
      post, STATE, unit,
    ]);
    await stack.query('hr', `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on) VALUES ($1, $2, $3, $4, 'eventual', 'state-payroll', '2020-01-01')`, [
      contract, post, worker, STATE,
    ]);
    await stack.query('hr', `INSERT INTO formalization_campaign (id, name, states, cutoff_date, rules, created_by) VALUES ($1, 'Basificación 2026', $2, '2026-01-01', '{}', 'fede')`, [
      campaign, [STATE],
    ]);
    await stack.query('hr', `INSERT INTO formalization_candidate (id, campaign_id, worker_id, curp, state_code, contract_id, post_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      randomUUID(), campaign, worker, CURP, STATE, contract, post,
    ]);
    await stack.query('hr', `INSERT INTO curp_flag (curp, state_code, worker_state, job_id, row) VALUES ($1, $2, '13', 'hr-1', 7)`, [FLAGGED, STATE]);
    await stack.query(
      'hr',
      `INSERT INTO job (id, kind, status, request, result, state_codes, error_count, created_by, correlation_id, finished_at)
       VALUES ($1, 'hr.roster-import', 'completed', '{"stateCode": "18", "dryRun": true}', '{"rows": 2, "errors": 1}', $2, 1, 'pd-hr-officer', $3, now())`,
      [JOB, [STATE], randomUUID()],
    );
    await stack.query('hr', `INSERT INTO job_error (job_id, "row", field, message) VALUES ($1, 3, 'CURP', $2)`, [
      JOB, `duplicate: CURP ${CURP} already appears in row 2; one person, one CURP`,
    ]);
    for (const role of ALL_ROLES) tokens[role] = await issuer.sign({ sub: `pd-${role}`, roles: [role], states: [STATE] });
  });

  afterAll(() => stack.stop());

  const get = async (path: string, role: Role) => {
    const res = await fetch(`${hr.url}/api/${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
    return { status: res.status, text: await res.text() };
  };

  describe.each(ALL_ROLES.map((role) => [role, PERSONAL_DATA_POLICY['hr.posts'].views[role]] as const))(
    'GET posts as %s (policy: %s)',
    (role, view) => {
      it(view === 'whole' ? 'shows the occupant whole' : 'shows the occupant masked, contract details kept', async () => {
        const res = await get(`hr/states/${STATE}/posts`, role);
        expect(res.status).toBe(200);
        const body = JSON.parse(res.text) as { items: { number: string; occupant: unknown }[] };
        expect(body.items).toEqual([
          expect.objectContaining({ number: 'P-000001', occupant: { ...CONTRACT, ...(view === 'whole' ? WHOLE : MASKED) } }),
        ]);
        if (view !== 'whole') {
          for (const value of [CURP, WHOLE.name, WHOLE.rfc, WHOLE.licence]) expect(res.text).not.toContain(value);
        }
      });
    },
  );

  describe.each(ALL_ROLES.map((role) => [role, PERSONAL_DATA_POLICY['hr.curp-flags'].views[role]] as const))(
    'GET curp-flags as %s (policy: %s)',
    (role, view) => {
      it(view === 'denied' ? 'is refused with 403 and no CURP' : 'lists the flagged CURP', async () => {
        const res = await get(`hr/states/${STATE}/curp-flags`, role);
        if (view === 'denied') {
          expect(res.status).toBe(403);
          expect(res.text).not.toContain(FLAGGED);
        } else {
          expect(res.status).toBe(200);
          expect(JSON.parse(res.text)).toEqual([expect.objectContaining({ curp: FLAGGED, workerState: '13' })]);
        }
      });
    },
  );

  describe.each(ALL_ROLES.map((role) => [role, PERSONAL_DATA_POLICY['hr.formalization-candidates'].views[role]] as const))(
    'GET formalization candidates as %s (policy: %s)',
    (role, view) => {
      it(view === 'denied' ? 'is refused with 403' : `shows CURP and name ${view}`, async () => {
        const list = await get(`hr/formalization/campaigns/${campaign}/candidates`, role);
        const one = await get(`hr/formalization/campaigns/${campaign}/candidates/${CURP}`, role);
        if (view === 'denied') {
          expect([list.status, one.status]).toEqual([403, 403]);
          return;
        }
        const person = view === 'whole' ? { curp: CURP, name: WHOLE.name } : { curp: MASKED.curp, name: MASKED.name };
        expect([list.status, one.status]).toEqual([200, 200]);
        expect((JSON.parse(list.text) as { items: unknown[] }).items).toEqual([expect.objectContaining({ ...person, stateCode: STATE, postNumber: 'P-000001' })]);
        expect(JSON.parse(one.text)).toMatchObject(person);
        if (view !== 'whole') expect(list.text + one.text).not.toMatch(new RegExp(`${CURP}|${WHOLE.name}`));
      });
    },
  );

  describe.each(ALL_ROLES.map((role) => [role, PERSONAL_DATA_POLICY['hr.jobs'].views[role]] as const))(
    "GET hr's jobs as %s (policy: %s)",
    (role, view) => {
      it(view === 'denied' ? 'leaves the job out and answers as for no job, with no CURP' : 'shows the job and its row errors whole', async () => {
        const list = await get('jobs', role);
        const reads = [await get(`jobs/${JOB}`, role), await get(`jobs/${JOB}/errors`, role), await get(`jobs/${JOB}/events`, role)];
        expect(list.status).toBe(200);
        const listed = (JSON.parse(list.text) as { items: { id: string }[] }).items.map((j) => j.id);
        if (view === 'denied') {
          expect(listed).not.toContain(JOB);
          for (const res of reads) expect([res.status, JSON.parse(res.text)]).toEqual([404, expect.objectContaining({ message: `There is no job ${JOB}` })]);
          expect(list.text + reads.map((r) => r.text).join('')).not.toContain(CURP);
          return;
        }
        expect(listed).toContain(JOB);
        expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
        expect(JSON.parse(reads[0].text)).toMatchObject({ id: JOB, errors: [expect.objectContaining({ message: expect.stringContaining(CURP) })] });
        expect(JSON.parse(reads[1].text)).toMatchObject({ total: 1, items: [expect.objectContaining({ message: expect.stringContaining(CURP) })] });
        expect(reads[2].text).toContain(`"id":"${JOB}"`);
      });
    },
  );

  it('says in the OpenAPI document who sees the personal data', async () => {
    const doc = (await (await fetch(`${hr.url}/api/docs-json`)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { description?: string }> } }>;
    };
    const described = (path: string) => JSON.stringify(doc.paths[path]?.get?.responses ?? {});
    expect(described('/api/hr/states/{stateCode}/posts')).toContain('docs/data-access.md');
    expect(described('/api/hr/states/{stateCode}/curp-flags')).toContain('docs/data-access.md');
  });
});
