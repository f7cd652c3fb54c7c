import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { UnitInventoried, UnitReRegistered } from '@imb/contracts';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';
import { TestEventSource } from './support/events';
import { generatedCurp, generateRoster, isVacant, plantedFault, postCodeOf } from './support/roster';

/**
 * HR rosters on a real process, PostgreSQL, Redis and Kafka: units arrive as the transfer
 * service's events, a generated Nayarit roster with planted faults is imported (dry run, real,
 * re-import), the same people arriving from Hidalgo are flagged, and hiring progress is read.
 * HR_ROSTER_ROWS sets the roster size: 100,000 by default (about a minute for dry run, import and
 * re-import on a developer machine).
 */
const ROWS = Number(process.env.HR_ROSTER_ROWS ?? 100000);
const UNITS = 40;
const ssaKey = (k: number) => `NTSSA${String(k).padStart(6, '0')}`;
const imbKey = (k: number) => `NTIMB${String(k).padStart(6, '0')}`;
const CATEGORY_OF: Record<string, string> = {
  M01006: 'general-practitioner',
  M01004: 'specialist',
  M02001: 'nursing',
  M02035: 'nursing',
  M03006: 'paramedic',
  A01806: 'administrative',
};

describe('hr: roster import, flags across states, hiring progress', () => {
  const stack = new ServiceStack('e2e-hr');
  let hr: RunningService;
  let db: Client;
  let source: TestEventSource;
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let federal: string;
  let nayarit: string;
  let auditor: string;
  const unitIds = Array.from({ length: UNITS }, () => randomUUID());
  const hidalgoUnit = randomUUID();

  beforeAll(async () => {
    hr = await stack.start('hr');
    db = await stack.connect('hr');
    source = new TestEventSource(stack.namespace);
    federal = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    nayarit = await issuer.sign({ sub: 'nadia', roles: ['hr-officer'], states: ['18'] });
    auditor = await issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] });
  });

  afterAll(async () => {
    await source?.close();
    await stack.stop();
  });

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${hr.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const upload = async (stateCode: string, csv: string, bearer: string, dryRun = false, endBaseContracts = false) => {
    const form = new FormData();
    form.append('file', new Blob([csv]), `plantilla-${stateCode}.csv`);
    const res = await fetch(`${hr.url}/api/hr/rosters/imports?stateCode=${stateCode}&dryRun=${dryRun}&endBaseContracts=${endBaseContracts}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const runImport = async (stateCode: string, csv: string, dryRun = false, bearer = federal, endBaseContracts = false) => {
    const res = await upload(stateCode, csv, bearer, dryRun, endBaseContracts);
    expect(res).toMatchObject({ status: 202, body: { jobId: expect.stringMatching(/^hr-/) } });
    const job = await waitForJob<any>(hr, res.body.jobId, federal, 600000);
    expect(job.status).toBe('completed');
    const errors: { row: number; field: string; message: string }[] = [];
    for (let page = 1; ; page++) {
      const { body } = await api('GET', `jobs/${res.body.jobId}/errors?page=${page}&pageSize=1000`, federal);
      errors.push(...body.items);
      if (errors.length >= body.total || !body.items.length) break;
    }
    return { job, errors };
  };

  // Hiring progress is announced by a consumer of hr's own roster-reconciled event, so it may land
  // after the first import ends; it is not the roster import's footprint.
  const footprint = async () =>
    (
      await db.query(`
        SELECT (SELECT count(*) FROM worker)::int AS workers, (SELECT count(*) FROM post)::int AS posts,
               (SELECT count(*) FROM contract)::int AS contracts, (SELECT count(*) FROM curp_flag)::int AS flags,
               (SELECT coalesce(max(updated_at), 'epoch')::text FROM worker) AS w,
               (SELECT coalesce(max(updated_at), 'epoch')::text FROM post) AS p,
               (SELECT coalesce(max(updated_at), 'epoch')::text FROM contract) AS c,
               (SELECT count(*) FROM outbox WHERE type <> 'hr.hiring-progress-updated.v1')::int AS events,
               (SELECT count(*) FROM audit_log)::int AS audits`)
    ).rows[0];

  it('learns units from transfer events, following a re-registration', async () => {
    for (let k = 1; k <= UNITS; k++) {
      await source.send(UnitInventoried, {
        unitId: unitIds[k - 1], clues: ssaKey(k), stateCode: '18', name: `CENTRO DE SALUD ${k}`, institution: 'SSA', inventoriedAt: new Date().toISOString(),
      });
    }
    await source.send(UnitInventoried, {
      unitId: hidalgoUnit, clues: 'HGSSA000016', stateCode: '13', name: 'ACATLAN', institution: 'SSA', inventoriedAt: new Date().toISOString(),
    });
    await source.send(UnitReRegistered, { unitId: unitIds[0], stateCode: '18', previousClues: ssaKey(1), clues: imbKey(1), reRegisteredAt: new Date().toISOString() });
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM hr_unit`)).rows[0].n === UNITS + 1 || undefined, {
      timeoutMs: 60000, intervalMs: 200, what: 'units to arrive',
    });
    await waitFor(async () => (await db.query(`SELECT 1 FROM hr_unit WHERE clues = $1 AND previous_clues = $2`, [imbKey(1), ssaKey(1)])).rowCount === 1 || undefined, {
      timeoutMs: 60000, intervalMs: 200, what: 'the re-registration',
    });
  });

  it(`imports a ${ROWS}-row roster: exactly the planted faults are refused, by row; a re-import changes nothing`, async () => {
    const clues = Array.from({ length: UNITS }, (_, k) => ssaKey(k + 1));
    const csv = generateRoster({ rows: ROWS, abbr: 'NT', clues });
    const planted = new Map<number, string>();
    let occupied = 0;
    let vacant = 0;
    for (let i = 0; i < ROWS; i++) {
      const fault = plantedFault(i);
      if (fault) planted.set(i + 2, fault);
      else if (isVacant(i)) vacant++;
      else occupied++;
    }
    const empty = await footprint();

    const dry = await runImport('18', csv, true, nayarit);
    expect(dry.job.result).toMatchObject({ dryRun: true, rows: ROWS, valid: ROWS - planted.size, errors: planted.size, workers: null });
    expect(await footprint()).toEqual(empty);

    const started = Date.now();
    const { job, errors } = await runImport('18', csv, false, nayarit);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`roster import: ${ROWS} rows in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s)\n`);
    expect(job.result).toMatchObject({
      rows: ROWS, valid: ROWS - planted.size, errors: planted.size, workersInserted: occupied, postsInserted: occupied + vacant,
      contractsInserted: occupied, workers: occupied,
    });
    const fieldOf: Record<string, string> = {
      'check-digit': 'CURP', 'duplicate-curp': 'CURP', 'unknown-clues': 'CLUES', 'missing-name': 'NOMBRE', 'unknown-post-code': 'CODIGO_PUESTO',
    };
    expect(errors.map((e) => [e.row, e.field])).toEqual([...planted].map(([row, fault]) => [row, fieldOf[fault]]));
    expect(errors.find((e) => planted.get(e.row) === 'check-digit')!.message).toMatch(/check digit/);
    expect(errors.find((e) => planted.get(e.row) === 'duplicate-curp')!.message).toMatch(/^duplicate: CURP .* already appears in row \d+/);
    expect(errors.find((e) => planted.get(e.row) === 'unknown-clues')!.message).toMatch(/^unknown CLUES NTSSA999999/);
    expect(job.progress).toMatchObject({ percent: 100, done: ROWS });

    // Posts of the re-registered unit sit under its new key; those of unit 2 follow it when it moves.
    const under = async (clues: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM post p JOIN hr_unit u ON u.unit_id = p.unit_id WHERE u.clues = $1`, [clues])).rows[0].n;
    expect(await under(imbKey(1))).toBeGreaterThan(0);
    const unit2 = await under(ssaKey(2));
    await source.send(UnitReRegistered, { unitId: unitIds[1], stateCode: '18', previousClues: ssaKey(2), clues: imbKey(2), reRegisteredAt: new Date().toISOString() });
    await waitFor(async () => ((await under(imbKey(2))) === unit2 ? true : undefined), { timeoutMs: 60000, intervalMs: 200, what: 'unit 2 to move' });
    const byOldKey = await api('GET', `hr/states/18/posts?clues=${ssaKey(2)}&pageSize=5`, nayarit);
    expect(byOldKey.body).toMatchObject({ total: unit2, page: 1, pageSize: 5 });
    expect(byOldKey.body.items[0]).toMatchObject({ clues: imbKey(2), statusReason: expect.stringMatching(/^roster import hr-/) });
    const vacantPosts = await api('GET', 'hr/states/18/posts?status=vacant&pageSize=1', auditor);
    expect(vacantPosts.body).toMatchObject({ total: vacant, items: [{ status: 'vacant', occupant: null }] });

    const { rows: reconciled } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'hr.roster-reconciled.v1'`);
    expect(reconciled[0].n).toBe(1);

    const after = await footprint();
    const again = await runImport('18', csv, false, nayarit);
    expect(again.job.result).toMatchObject({
      rows: ROWS, valid: ROWS - planted.size, errors: planted.size, workersInserted: 0, workersUpdated: 0, postsInserted: 0, postsUpdated: 0,
      contractsInserted: 0, contractsUpdated: 0, contractsEnded: 0,
    });
    expect(again.errors.length).toBe(planted.size);
    expect(await footprint()).toEqual(after);

    // Hiring progress counts the occupied posts by category.
    const filled: Record<string, number> = {};
    for (let i = 0; i < ROWS; i++) {
      if (plantedFault(i) || isVacant(i)) continue;
      const category = CATEGORY_OF[postCodeOf(i)];
      filled[category] = (filled[category] ?? 0) + 1;
    }
    const set = await api('PUT', 'hr/states/18/targets', nayarit, {
      targets: [
        { category: 'specialist', target: filled.specialist },
        { category: 'general-practitioner', target: filled['general-practitioner'] * 2 },
        { category: 'nursing', target: 4 * filled.nursing },
      ],
    });
    expect(set.status).toBe(200);
    const progress = await api('GET', 'hr/states/18/progress', auditor);
    expect(progress.status).toBe(200);
    expect(progress.body.categories).toEqual([
      { category: 'specialist', target: filled.specialist, filled: filled.specialist, percent: 100 },
      { category: 'general-practitioner', target: filled['general-practitioner'] * 2, filled: filled['general-practitioner'], percent: 50 },
      { category: 'nursing', target: 4 * filled.nursing, filled: filled.nursing, percent: 25 },
      { category: 'paramedic', target: 0, filled: filled.paramedic, percent: null },
      { category: 'administrative', target: 0, filled: filled.administrative, percent: null },
    ]);
  });

  it('flags, not duplicates, the same CURPs arriving from another state', async () => {
    const csv = generateRoster({ rows: 12, abbr: 'NT', clues: ['HGSSA000016'] });
    const before = (await db.query(`SELECT count(*)::int AS n FROM worker`)).rows[0].n;
    const { job, errors } = await runImport('13', csv);
    expect(job.result).toMatchObject({ rows: 12, errors: 12, valid: 0 });
    expect(errors).toHaveLength(12);
    // The importer learns that each person holds a post elsewhere, not where (the flags keep that).
    for (const e of errors) expect(e).toMatchObject({ field: 'CURP', message: expect.stringMatching(/already holds a post in another state; flagged/) });
    expect(JSON.stringify(errors)).not.toMatch(/Nayarit|\(18\)/);
    expect((await db.query(`SELECT count(*)::int AS n FROM worker`)).rows[0].n).toBe(before);
    expect((await db.query(`SELECT count(*)::int AS n FROM curp_flag WHERE state_code = '13' AND worker_state = '18'`)).rows[0].n).toBe(12);
    const flags = await api('GET', 'hr/states/13/curp-flags', federal);
    expect(flags.body).toHaveLength(12);
    expect(flags.body[0]).toMatchObject({ workerState: '18', jobId: expect.stringMatching(/^hr-/) });
  });

  it('does not revert or end a contract made base when an older payroll is imported again', async () => {
    await db.query(`INSERT INTO hr_unit (unit_id, clues, state_code, name) VALUES ($1, 'CMSSA000001', '06', 'CENTRO DE SALUD')`, [randomUUID()]);
    // An older payroll: everyone on a fixed-term contract, with an end date.
    const csv = generateRoster({ rows: 8, abbr: 'CM', clues: ['CMSSA000001'], offset: 900000 })
      .replace(/,BASE,/g, ',EVENTUAL,')
      .replace(/,(2020-01-\d\d),,/g, ',$1,2021-12-31,');
    const first = await runImport('06', csv);
    expect(first.job.result).toMatchObject({ rows: 8, valid: 8, contractsInserted: 8 });
    // What a formalization appointment does to the contract.
    await db.query(`UPDATE contract SET type = 'base', ends_on = NULL WHERE state_code = '06'`);

    const again = await runImport('06', csv);
    expect(again.job.result).toMatchObject({ rows: 8, valid: 8, contractsInserted: 0, contractsUpdated: 0, contractsEnded: 0 });
    const { rows } = await db.query(`SELECT type, ends_on FROM contract WHERE state_code = '06'`);
    expect(rows).toHaveLength(8);
    for (const c of rows) expect(c).toEqual({ type: 'base', ends_on: null });

    // Other changes to a base contract still apply; it stays base.
    const moved = await runImport('06', csv.replace(/,ESTATAL$/m, ',FEDERAL'));
    expect(moved.job.result).toMatchObject({ contractsUpdated: 1 });
    expect((await db.query(`SELECT count(*)::int AS n FROM contract WHERE state_code = '06' AND type = 'base' AND ends_on IS NULL`)).rows[0].n).toBe(8);

    // A payroll that would end a base contract (post vacant, or held by someone else) leaves those
    // rows out, in a dry run too; the appointments and their posts stay.
    const lines = csv.trimEnd().split('\n');
    const [vacatedPlaza, code] = lines[1].split(',');
    const takenPlaza = lines[2].split(',')[0];
    const takenHolder = lines[2].split(',')[5];
    const newcomer = generatedCurp(950000, 'CM');
    const changed = [
      lines[0],
      `${vacatedPlaza},${code},CMSSA000001,SI,VACANTE,,,,,,,,,`,
      lines[2].replace(takenHolder, newcomer).replace(takenHolder.slice(0, 10), newcomer.slice(0, 10)),
      ...lines.slice(3),
    ].join('\n') + '\n';
    const holders = async () =>
      (
        await db.query(
          `SELECT p.number, p.status, c.type, w.curp FROM post p LEFT JOIN contract c ON c.post_id = p.id LEFT JOIN worker w ON w.id = c.worker_id
            WHERE p.state_code = '06' AND p.number = ANY($1) ORDER BY p.number`,
          [[vacatedPlaza, takenPlaza]],
        )
      ).rows;
    const before = await holders();
    expect(before.map((h) => h.type)).toEqual(['base', 'base']);
    for (const dryRun of [true, false]) {
      const refused = await runImport('06', changed, dryRun);
      expect(refused.job.result).toMatchObject({ rows: 8, valid: 6, errors: 2, contractsEnded: 0 });
      expect(refused.errors).toEqual([
        { row: 2, field: 'ESTATUS_PLAZA', message: expect.stringContaining(`post ${vacatedPlaza} holds the base (permanent) contract of CURP ${before[0].curp}: this row would make it vacant`) },
        { row: 3, field: 'CURP', message: expect.stringContaining(`post ${takenPlaza} holds the base (permanent) contract of CURP ${takenHolder}: this row would give it to CURP ${newcomer}`) },
      ]);
      expect(await holders()).toEqual(before);
    }

    // Told that the payroll is current, the import ends them.
    const current = await runImport('06', changed, false, federal, true);
    expect(current.job.result).toMatchObject({ rows: 8, valid: 8, errors: 0, contractsEnded: 1, contractsUpdated: 1 });
    expect(await holders()).toEqual([
      { number: vacatedPlaza, status: 'vacant', type: null, curp: null },
      { number: takenPlaza, status: 'occupied', type: lines[2].split(',')[10].toLowerCase(), curp: newcomer },
    ]);
  });

  it('keeps HR officers to their states and auditors to reading; extends the post-code catalogue', async () => {
    expect((await api('GET', 'hr/states/13/progress', nayarit)).status).toBe(403);
    expect((await upload('13', 'PLAZA,CURP\n', nayarit)).status).toBe(403);
    expect((await api('PUT', 'hr/states/13/targets', nayarit, { targets: [{ category: 'nursing', target: 1 }] })).status).toBe(403);
    expect((await api('POST', 'hr/states/13/payroll-transfer', nayarit, { effectiveDate: '2024-01-01' })).status).toBe(403);
    expect((await api('PUT', 'hr/states/18/targets', auditor, { targets: [{ category: 'nursing', target: 1 }] })).status).toBe(403);

    const created = await api('POST', 'hr/post-codes', nayarit, { code: 'M01020', title: 'MEDICO ESPECIALISTA EN PEDIATRIA', branch: 'medica', category: 'specialist' });
    expect(created.status).toBe(201);
    expect((await api('POST', 'hr/post-codes', nayarit, { code: 'M01020', title: 'OTRO', branch: 'medica', category: 'specialist' })).status).toBe(409);
    expect((await api('POST', 'hr/post-codes', nayarit, { code: 'X1', title: 'MAL', branch: 'medica', category: 'specialist' })).status).toBe(400);
    const codes = (await api('GET', 'hr/post-codes', auditor)).body as { code: string }[];
    expect(codes.map((c) => c.code)).toEqual(expect.arrayContaining(['M01006', 'M01020']));
  });

  it('records the federalization of a payroll once and emits payroll-transferred', async () => {
    const res = await api('POST', 'hr/states/18/payroll-transfer', nayarit, { effectiveDate: '2024-01-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stateCode: '18', effectiveDate: '2024-01-01', workers: expect.any(Number) });
    expect((await api('POST', 'hr/states/18/payroll-transfer', nayarit, { effectiveDate: '2024-02-01' })).status).toBe(409);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'hr.payroll-transferred.v1'`);
    expect(rows[0].n).toBe(1);
  });
});
