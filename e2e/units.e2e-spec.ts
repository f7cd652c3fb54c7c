import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';

/**
 * Units (CLUES) of the transfer service on a real process, PostgreSQL, Redis and Kafka, with the
 * real government files: Hidalgo's SSA catalogue, then its IMSS-BIENESTAR re-registration.
 */
const DATA = join(__dirname, '..', '..', 'shared', 'data');
const SSA = join(DATA, 'clues-hidalgo-202501-ssa.xlsx');
const IMB = join(DATA, 'clues-hidalgo-202501-imb.xlsx');

describe('units: CLUES catalogue import, re-registration and lifecycle', () => {
  const stack = new ServiceStack('e2e-units');
  let transfer: RunningService;
  let db: Client;
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  const token = (sub: string, roles: string[], states: string[] = []) => issuer.sign({ sub, roles, states });
  let federal: string;
  let hidalgo: string;

  beforeAll(async () => {
    transfer = await stack.start('transfer');
    db = await stack.connect('transfer');
    federal = await token('fede', ['federal-coordinator']);
    hidalgo = await token('hilda', ['state-coordinator'], ['13']);
  });

  afterAll(() => stack.stop());

  const upload = async (stateCode: string | null, name: string, content: Buffer, bearer: string, dryRun?: boolean) => {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const path = stateCode ? `transfers/${stateCode}/units/imports` : 'transfers/units/imports';
    const res = await fetch(`${transfer.url}/api/${path}${dryRun === undefined ? '' : `?dryRun=${dryRun}`}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${transfer.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const finished = (jobId: string) => waitForJob<any>(transfer, jobId, federal, 120000);

  /** Uploads, expects 202, and waits for the job. */
  const runImport = async (stateCode: string | null, name: string, content: Buffer, dryRun?: boolean, bearer = federal) => {
    const res = await upload(stateCode, name, content, bearer, dryRun);
    expect(res).toMatchObject({ status: 202, body: { jobId: expect.stringMatching(/^transfer-/) } });
    return finished(res.body.jobId);
  };

  /** Everything an import may write, to prove that one wrote nothing. */
  const footprint = async () => {
    const { rows } = await db.query(`
      SELECT (SELECT count(*) FROM unit)::int AS units,
             (SELECT coalesce(max(updated_at), 'epoch')::text FROM unit) AS last_update,
             (SELECT count(*) FROM outbox WHERE type LIKE 'transfer.unit-%')::int AS events,
             (SELECT count(*) FROM audit_log WHERE entity IN ('Unit', 'UnitImport'))::int AS audits`);
    return rows[0];
  };
  const unitsByStatus = async (stateCode: string) => {
    const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM unit WHERE state_code = $1 GROUP BY status`, [stateCode]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  it('imports the SSA catalogue of Hidalgo, dry run first, idempotently', async () => {
    const ssa = readFileSync(SSA);
    const empty = await footprint();

    const dry = await runImport('13', 'clues-hidalgo-202501-ssa.xlsx', ssa, true, hidalgo);
    expect(dry.status).toBe('completed');
    expect(dry.result).toMatchObject({ dryRun: true, mode: 'catalogue', rows: 511, inserted: 511, updated: 0, unchanged: 0, errors: 0 });
    expect(await footprint()).toEqual(empty);

    const first = await runImport('13', 'clues-hidalgo-202501-ssa.xlsx', ssa, false, hidalgo);
    expect(first).toMatchObject({ status: 'completed', errors: [], progress: { percent: 100, done: 511, total: 511 } });
    expect(first.result).toMatchObject({ dryRun: false, rows: 511, inserted: 511, updated: 0, unchanged: 0, errors: 0, reRegistered: 0 });
    expect(await unitsByStatus('13')).toEqual({ INVENTORIED: 511 });
    const { rows: events } = await db.query(`SELECT type, count(*)::int AS n FROM outbox GROUP BY type`);
    expect(events).toContainEqual({ type: 'transfer.unit-inventoried.v1', n: 511 });
    const acatlan = await api('GET', 'transfers/13/units/HGSSA000016', hidalgo);
    expect(acatlan.body).toMatchObject({
      clues: 'HGSSA000016',
      previousClues: null,
      name: 'ACATLÁN',
      status: 'INVENTORIED',
      institution: 'SSA',
      municipalityCode: '13001',
      localityCode: '130010001',
      ownership: 'propio',
      typology: 'URBANO DE 03 NÚCLEOS BÁSICOS',
    });

    const after = await footprint();
    const again = await runImport('13', 'clues-hidalgo-202501-ssa.xlsx', ssa);
    expect(again.result).toMatchObject({ rows: 511, inserted: 0, updated: 0, unchanged: 511, errors: 0 });
    expect(await footprint()).toEqual(after);
    // The stored upload is gone once its job is done.
    expect(readdirSync(join(stack.storageDir('transfer'), 'imports'))).toEqual([]);
  });

  it('links the IMB re-registration file to the inventoried units and reports the unmatched on each side', async () => {
    const imb = readFileSync(IMB);
    const before = await footprint();
    const dry = await runImport('13', 'clues-hidalgo-202501-imb.xlsx', imb, true);
    expect(dry.result).toMatchObject({ dryRun: true, mode: 're-registration', rows: 512, reRegistered: 510, inserted: 0, errors: 0 });
    expect(await footprint()).toEqual(before);

    const job = await runImport('13', 'clues-hidalgo-202501-imb.xlsx', imb);
    expect(job.status).toBe('completed');
    const result = job.result;
    expect(result).toMatchObject({ mode: 're-registration', rows: 512, reRegistered: 510, inserted: 0, updated: 0, unchanged: 0, errors: 0 });
    expect(result.unmatched.newKeys.map((k: any) => k.clues).sort()).toEqual(['HGIMB002292', 'HGIMB005191']);
    expect(result.unmatched.newKeys[0]).toMatchObject({ cluesSsh: null, reason: expect.stringMatching(/no CLUES_SSH/) });
    expect(result.unmatched.oldUnits).toEqual([{ clues: 'HGSSA015602', name: expect.stringMatching(/VIOLENCIA FAMILIAR/), status: 'INVENTORIED' }]);
    expect(await unitsByStatus('13')).toEqual({ RE_REGISTERED: 510, INVENTORIED: 1 });

    // The unit keeps its id; the new key is its CLUES, the old one its previousClues; both find it.
    const byNew = (await api('GET', 'transfers/13/units/HGIMB000011', hidalgo)).body;
    const byOld = (await api('GET', 'transfers/13/units/hgssa000016', hidalgo)).body;
    expect(byNew).toMatchObject({ clues: 'HGIMB000011', previousClues: 'HGSSA000016', status: 'RE_REGISTERED', institution: 'IMB' });
    expect(byOld.id).toBe(byNew.id);
    const list = (await api('GET', 'transfers/13/units?status=RE_REGISTERED&page=2&pageSize=500', hidalgo)).body;
    expect(list).toMatchObject({ total: 510, page: 2, pageSize: 500 });
    expect(list.items).toHaveLength(10);
    expect(list.items[0]).toMatchObject({ clues: expect.stringMatching(/^HGIMB/), previousClues: expect.stringMatching(/^HGSSA/), status: 'RE_REGISTERED' });
    const { rows: events } = await db.query(`SELECT type, count(*)::int AS n FROM outbox WHERE seq > $1 GROUP BY type ORDER BY type`, [0]);
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'transfer.unit-re-registered.v1', n: 510 },
        { type: 'transfer.unit-status-changed.v1', n: 510 },
      ]),
    );

    // Re-importing either file changes nothing.
    const settled = await footprint();
    const imbAgain = await runImport('13', 'clues-hidalgo-202501-imb.xlsx', imb);
    expect(imbAgain.result).toMatchObject({ rows: 512, reRegistered: 0, updated: 0, unchanged: 510, unmatched: { newKeysTotal: 2, oldUnitsTotal: 1 } });
    const ssaAgain = await runImport('13', 'clues-hidalgo-202501-ssa.xlsx', readFileSync(SSA));
    expect(ssaAgain.result).toMatchObject({ rows: 511, inserted: 0, updated: 0, unchanged: 511 });
    expect(await footprint()).toEqual(settled);

    // Every event reaches Kafka through the relay, and the audit chain holds.
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n === 0, {
      timeoutMs: 60000,
      what: 'the outbox relay to publish every unit event',
    });
    expect((await api('GET', 'audit/verify', await token('aud', ['auditor']))).body).toMatchObject({ valid: true });
  });

  it('moves a unit through its lifecycle, refusing moves out of order with 409', async () => {
    const move = (clues: string, body: unknown, bearer = hidalgo) => api('POST', `transfers/13/units/${clues}/status`, bearer, body);
    const skipped = await move('HGSSA015602', { toStatus: 'HANDED_OVER', acta: { number: 'ER-13-0001', date: '2024-07-18' } });
    expect(skipped).toMatchObject({
      status: 409,
      body: { code: 'UNIT_MOVE_NOT_ALLOWED', message: 'Unit HGSSA015602 is INVENTORIED: it can only go to INCLUDED, EXCLUDED or NEEDS_REGULARIZATION, not HANDED_OVER' },
    });
    expect((await move('HGSSA015602', { toStatus: 'EXCLUDED' })).body.code).toBe('REASON_REQUIRED');
    expect((await move('HGSSA015602', { toStatus: 'INCLUDED', surprise: 1 })).status).toBe(400);
    expect((await move('HGSSA015602', { toStatus: 'INCLUDED' }, await token('aud', ['auditor']))).status).toBe(403);
    expect((await api('POST', 'transfers/18/units/NTSSA000016/status', hidalgo, { toStatus: 'INCLUDED' })).status).toBe(403);

    expect((await move('HGSSA015602', { toStatus: 'NEEDS_REGULARIZATION', ownership: 'posesion-ejido' })).body).toMatchObject({
      status: 'NEEDS_REGULARIZATION',
      ownership: 'posesion-ejido',
      regularizationStatus: 'pending',
    });
    // The signed acta is uploaded first: a hand-over refers to a stored document by its SHA-256.
    const acta = new FormData();
    acta.append('stateCode', '13');
    acta.append('title', 'Acta de entrega-recepción HGSSA015602');
    acta.append('reference', 'ER-13-0001');
    acta.append('date', '2024-07-18');
    acta.append('file', new Blob(['%PDF-1.4\n% acta ER-13-0001\n%%EOF\n'], { type: 'application/pdf' }), 'acta.pdf');
    const uploaded = await fetch(`${transfer.url}/api/transfers/documents`, { method: 'POST', headers: { authorization: `Bearer ${hidalgo}` }, body: acta });
    const { sha256: sha } = (await uploaded.json()) as { sha256: string };
    expect((await move('HGSSA015602', { toStatus: 'HANDED_OVER', acta: { number: 'ER-13-0001', date: '2024-07-18', documentSha256: sha } })).body).toMatchObject({
      status: 'HANDED_OVER',
      acta: { number: 'ER-13-0001', date: '2024-07-18', documentSha256: sha },
    });
    // The new key the re-registration file left unmatched is linked by hand.
    expect((await move('HGSSA015602', { toStatus: 'RE_REGISTERED', newClues: 'HGIMB000011' })).body.code).toBe('CLUES_TAKEN');
    expect((await move('HGSSA015602', { toStatus: 'RE_REGISTERED', newClues: 'HGIMB005191' })).body).toMatchObject({
      clues: 'HGIMB005191',
      previousClues: 'HGSSA015602',
      status: 'RE_REGISTERED',
    });
    expect((await move('HGIMB005191', { toStatus: 'OPERATING' })).body.status).toBe('OPERATING');
    const { rows } = await db.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action = 'unit.status-changed' GROUP BY action`);
    expect(rows).toEqual([{ action: 'unit.status-changed', n: 4 }]);
  });

  it('moves units in bulk as a job with each unit’s outcome', async () => {
    const listed = (await api('GET', 'transfers/13/units?status=RE_REGISTERED&pageSize=1000', hidalgo)).body.items.map((u: any) => u.clues);
    const units = [...listed, 'HGSSA999999', listed[0]].map((clues: string) => ({ clues }));
    const res = await api('POST', 'transfers/13/units/bulk-status', hidalgo, { toStatus: 'OPERATING', units });
    expect(res.status).toBe(202);
    const job = await finished(res.body.jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ toStatus: 'OPERATING', total: 512, ok: 510, failed: 2 });
    expect(job.result.outcomes[510]).toEqual({ clues: 'HGSSA999999', outcome: 'error', message: 'No unit HGSSA999999 in the inventory of state 13' });
    expect(job.result.outcomes[511].message).toMatch(/listed twice/);
    expect(job.errors).toEqual([
      { row: 511, field: 'clues', message: expect.stringMatching(/No unit/) },
      { row: 512, field: 'clues', message: expect.stringMatching(/listed twice/) },
    ]);
    expect(await unitsByStatus('13')).toEqual({ OPERATING: 511 });

    const tooMany = await api('POST', 'transfers/13/units/bulk-status', hidalgo, {
      toStatus: 'INCLUDED',
      units: Array.from({ length: 5001 }, (_, i) => ({ clues: `HGSSA${String(i).padStart(6, '0')}` })),
    });
    expect(tooMany).toMatchObject({ status: 400, body: { message: expect.stringMatching(/at most 5000/) } });
  });

  it('imports a CSV with per-row errors: malformed keys, other states, duplicates, missing values', async () => {
    const csv = [
      'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD,CLAVE DEL MUNICIPIO,CLAVE DE LA LOCALIDAD,LATITUD,LONGITUD,PROPIEDAD DEL INMUEBLE',
      'YNSSA000011,31,CENTRO DE SALUD MERIDA,50,1,20.97,-89.62,PROPIO',
      'YNSSA00002,31,MALFORMED,50,1,20.97,-89.62,PROPIO',
      'HGSSA000016,13,OTHER STATE,1,1,20.1,-98.4,PROPIO',
      'YNSSA000011,31,DUPLICATE,50,1,20.97,-89.62,PROPIO',
      'YNSSA000022,31,,50,1,20.97,-89.62,PROPIO',
      'YNSSA000033,31,CENTRO DE SALUD UMAN,101,1,20.88,-89.75,DE COMODATO',
    ].join('\n');
    const job = await runImport('31', 'yucatan.csv', Buffer.from(csv));
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ rows: 6, inserted: 2, errors: 4 });
    expect(job.errors).toEqual([
      { row: 3, field: 'CLUES', message: expect.stringMatching(/not a CLUES key/) },
      { row: 4, field: 'CLUES', message: expect.stringMatching(/Hidalgo \(13\), not of Yucatán \(31\)/) },
      { row: 5, field: 'CLUES', message: 'repeats CLUES YNSSA000011 of row 2; only the first row of a key is imported' },
      { row: 6, field: 'NOMBRE DE LA UNIDAD', message: expect.stringMatching(/empty/) },
    ]);
    expect((await api('GET', 'transfers/31/units', federal)).body.items.map((u: any) => [u.clues, u.ownership, u.municipalityCode])).toEqual([
      ['YNSSA000011', 'propio', '31050'],
      ['YNSSA000033', 'comodato', '31101'],
    ]);
  });

  it('refuses malformed files with clear errors and changes nothing', async () => {
    const before = await footprint();
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await upload('13', 'catalogue.xlsx', garbage, hidalgo)).toMatchObject({
      status: 400,
      body: { code: 'UNREADABLE_FILE', message: expect.stringMatching(/not an .xlsx workbook/) },
    });
    expect(await upload('13', 'catalogue.csv', garbage, hidalgo)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/not text/) } });
    expect(await upload('13', 'catalogue.pdf', Buffer.from('%PDF-1.7'), hidalgo)).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_FILE_TYPE' } });

    const big = Buffer.alloc(50 * 1024 * 1024, 'HGSSA000016,13,X\n');
    expect(await upload('13', 'huge.csv', big, hidalgo)).toMatchObject({
      status: 413,
      body: { code: 'FILE_TOO_LARGE', message: expect.stringMatching(/larger than the upload limit of 40 MB/) },
    });

    const wrong = await runImport('13', 'wrong.csv', Buffer.from('CLAVE,NOMBRE,ENTIDAD\nHGSSA000016,ACATLAN,13\n'));
    expect(wrong).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^NO_HEADER: no row with a CLUES column/) });
    const missing = await runImport('13', 'missing.csv', Buffer.from('CLUES,ENTIDAD\nHGSSA000016,13\n'));
    expect(missing.failureReason).toMatch(/^MISSING_COLUMNS: the header \(row 1\) has no column CLAVE DE LA ENTIDAD, NOMBRE DE LA UNIDAD/);

    const bad = ['CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD', ...Array.from({ length: 10000 }, (_, i) => `HG${i},13,UNIDAD ${i}`)].join('\n');
    const allBad = await runImport('13', 'bad.csv', Buffer.from(bad));
    expect(allBad).toMatchObject({ status: 'failed', errorCount: 10000, failureReason: expect.stringMatching(/^NO_VALID_ROWS: none of the 10000 rows/) });
    expect(allBad.errors[0]).toEqual({ row: 2, field: 'CLUES', message: expect.stringMatching(/"HG0" is not a CLUES key/) });

    expect(await footprint()).toEqual(before);
    expect(readdirSync(join(stack.storageDir('transfer'), 'imports'))).toEqual([]);
  });

  it('lets only coordinators of the state import, and federal coordinators the national catalogue', async () => {
    const ssa = readFileSync(SSA);
    expect((await upload('18', 'x.xlsx', ssa, hidalgo)).status).toBe(403);
    expect((await upload('13', 'x.xlsx', ssa, await token('aud', ['auditor']))).status).toBe(403);
    expect((await upload('13', 'x.xlsx', ssa, await token('hugo', ['hr-officer'], ['13']))).status).toBe(403);
    expect((await upload(null, 'x.xlsx', ssa, hidalgo)).status).toBe(403);
    expect((await upload('13', 'x.xlsx', ssa, hidalgo, 'maybe' as any)).status).toBe(400);
    const national = await runImport(null, 'national.csv', Buffer.from('CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD\nNTSSA000011,18,CENTRO DE SALUD TEPIC\nZSSSA000022,32,CENTRO DE SALUD ZACATECAS\n'));
    expect(national.result).toMatchObject({ stateCode: null, rows: 2, inserted: 2 });
    expect(readdirSync(join(stack.storageDir('transfer'), 'imports'))).toEqual([]);
  });
});

describe('units import: a worker killed mid-import', () => {
  const stack = new ServiceStack('e2e-units-crash');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));

  afterAll(() => stack.stop());

  it('resumes from the last committed chunk: every unit once, every event once', async () => {
    const total = 30000;
    const csv = ['CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD'];
    for (let i = 1; i <= total; i++) csv.push(`MCSSA${String(i).padStart(6, '0')},15,CENTRO DE SALUD ${i}`);
    const bearer = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    const first = await stack.start('transfer', { UNITS_IMPORT_CHUNK_ROWS: '500' });
    const form = new FormData();
    form.append('file', new Blob([csv.join('\n')]), 'mexico.csv');
    const posted = await fetch(`${first.url}/api/transfers/15/units/imports`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
    const { jobId } = (await posted.json()) as { jobId: string };
    const job = async (svc: RunningService) =>
      (await (await fetch(`${svc.url}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as any;

    await waitFor(async () => (await job(first)).progress.done >= 3000, { timeoutMs: 60000, intervalMs: 20, what: 'the import to be under way' });
    await first.stop('SIGKILL');
    const db = await stack.connect('transfer');
    const atCrash = (await db.query(`SELECT count(*)::int AS n FROM unit`)).rows[0].n;
    expect(atCrash).toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(total);

    const second = await stack.restart('transfer');
    const done = await waitForJob(second, jobId, bearer, 150000);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, result: { rows: total, inserted: total, errors: 0 } });
    const { rows } = await db.query(`
      SELECT (SELECT count(*) FROM unit)::int AS units,
             (SELECT count(*) FROM outbox WHERE type = 'transfer.unit-inventoried.v1')::int AS events,
             (SELECT count(DISTINCT key) FROM outbox WHERE type = 'transfer.unit-inventoried.v1')::int AS units_with_event`);
    expect(rows[0]).toEqual({ units: total, events: total, units_with_event: total });
  });
});
