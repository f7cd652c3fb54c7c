import ExcelJS from 'exceljs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { PayrollTransferred, RosterReconciled } from '@imb/contracts';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';
import { TestEventSource } from './support/events';

/**
 * Procurement's demand side on a real process, Kafka, PostgreSQL and Redis, with the published
 * annexes: the 2027-2028 annex imports whole (checked against figures this test reads from the
 * file itself), re-imports change nothing, dry runs and garbage write nothing, the consolidation
 * equals the sum of the published TOTALES, and a state reaching OPERATION in the real transfer
 * service (started on the same Kafka namespace, driven through its HTTP API) is enrolled, closes
 * its transfer gate item with state-enrolled, and is bought for by IMSS-BIENESTAR in the next
 * consolidation.
 */
const DATA = join(__dirname, '..', '..', 'shared', 'data');
const ANNEX_2027 = join(DATA, 'demanda-2027-2028.xlsx');
const ANNEX_2025 = join(DATA, 'demanda-2025-2026.xlsx');

/** The INEGI codes of the adhered-state columns, by hand from the published titles. */
const ADHERED: Record<string, string> = {
  BAJA_CALIFORNIA: '02', BAJA_CALIFORNIA_SUR: '03', CAMPECHE: '04', CHIAPAS: '07', CIUDAD_DE_MEXICO: '09', COLIMA: '06',
  GUERRERO: '12', HIDALGO: '13', MEXICO: '15', MICHOACAN: '16', MORELOS: '17', NAYARIT: '18', OAXACA: '20', PUEBLA: '21',
  QUINTANA_ROO: '23', SAN_LUIS_POTOSI: '24', SINALOA: '25', SONORA: '26', TABASCO: '27', TAMAULIPAS: '28', TLAXCALA: '29',
  VERACRUZ: '30', ZACATECAS: '32',
};

interface AnnexFacts {
  institutions: string[];
  claves: Map<string, { min: number; max: number }>;
  /** Rows whose TOTALES differ from the sum of their parts. */
  badTotals: number;
  totalMin: number;
  totalMax: number;
}

const num = (v: unknown): number => {
  const x = v && typeof v === 'object' && 'result' in v ? v.result : v;
  if (typeof x === 'number') return x;
  return typeof x === 'string' ? Number(x.replace(/[,\s]/g, '') || 0) : 0;
};

/**
 * The 2027-2028 annex read by hand: institution names in row 8, CLAVE/DESCRIPCIÓN/MIN/MAX in row 9.
 * (exceljs' streaming reader: its in-memory reader drops a shared formula's cached result of 0.)
 */
async function readAnnex2027(): Promise<AnnexFacts> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(ANNEX_2027, { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore' });
  const rows: unknown[][] = [];
  for await (const ws of reader) {
    for await (const row of ws) rows[row.number] = row.values as unknown[];
    break;
  }
  const names = rows[8];
  const pairs: { name: string; col: number }[] = [];
  for (let c = 1; c < names.length; c++) if (typeof names[c] === 'string') pairs.push({ name: String(names[c]).trim(), col: c });
  const totals = pairs.find((p) => p.name === 'TOTALES')!;
  const parts = pairs.filter((p) => p !== totals);
  const facts: AnnexFacts = { institutions: parts.map((p) => p.name), claves: new Map(), badTotals: 0, totalMin: 0, totalMax: 0 };
  for (let r = 10; r < rows.length; r++) {
    const v = rows[r] ?? [];
    const clave = typeof v[1] === 'string' ? v[1].trim() : ''; // column A
    if (!clave) continue;
    const min = parts.reduce((s, p) => s + num(v[p.col]), 0);
    const max = parts.reduce((s, p) => s + num(v[p.col + 1]), 0);
    if (min !== num(v[totals.col]) || max !== num(v[totals.col + 1])) facts.badTotals++;
    facts.claves.set(clave, { min: num(v[totals.col]), max: num(v[totals.col + 1]) });
    facts.totalMin += num(v[totals.col]);
    facts.totalMax += num(v[totals.col + 1]);
  }
  return facts;
}

describe('procurement demand: annex imports, consolidation and enrollment', () => {
  const stack = new ServiceStack('e2e-proc-demand');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let service: RunningService;
  let db: Client;
  let source: TestEventSource;
  let officer: string;
  let federal: string;
  let auditor: string;
  let hr: string;
  let facts: AnnexFacts;

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${service.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text, headers: res.headers };
  };
  const upload = async (path: string, file: Buffer, name: string, bearer = officer, mapping?: string) => {
    const form = new FormData();
    form.append('file', new Blob([file]), name);
    if (mapping) form.append('mapping', mapping);
    const res = await fetch(`${service.url}/api/${path}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const waitJob = (jobId: string) => waitForJob<any>(service, jobId, officer, 90000);
  const importAnnex = async (exercise: string, file: string, dryRun = false) => {
    const res = await upload(`procurement/exercises/${exercise}/demand/imports?dryRun=${dryRun}`, await readFile(file), file.split('/').pop()!);
    expect(res.status).toBe(202);
    const job = await waitJob(res.body.jobId);
    expect(job.status).toBe('completed');
    return job;
  };
  const consolidate = async (exercise: string) => {
    const res = await api('POST', `procurement/exercises/${exercise}/consolidate`, officer);
    expect(res.status).toBe(202);
    const job = await waitJob(res.body.jobId);
    expect(job.status).toBe('completed');
    return job.result;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  const snapshot = async () => ({
    lines: await count(`SELECT count(*) AS n FROM demand_line`),
    sum: (await db.query(`SELECT coalesce(sum(min), 0)::text AS min, coalesce(sum(max), 0)::text AS max, md5(coalesce(string_agg(clave || institution || min || '/' || max, ',' ORDER BY clave, institution), '')) AS h FROM demand_line`)).rows[0],
    claves: await count(`SELECT count(*) AS n FROM clave`),
    audit: await count(`SELECT count(*) AS n FROM audit_log`),
    outbox: await count(`SELECT count(*) AS n FROM outbox`),
  });

  beforeAll(async () => {
    service = await stack.start('procurement');
    db = await stack.connect('procurement');
    source = new TestEventSource(stack.namespace);
    officer = await issuer.sign({ sub: 'olga', roles: ['procurement-officer'], states: [] });
    federal = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    auditor = await issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] });
    hr = await issuer.sign({ sub: 'hugo', roles: ['hr-officer'], states: ['13'] });
    facts = await readAnnex2027();
  });

  afterAll(async () => {
    await source?.close();
    await stack.stop();
  });

  it('creates exercises for procurement officers only; coordinators and auditors read; going back needs a reason', async () => {
    const exercise = { code: '2027-2028', name: 'Compra consolidada 2027-2028', calendar: [{ stage: 'DEMAND_INTEGRATION', plannedStart: '2026-01-15', plannedEnd: '2026-03-31' }] };
    expect((await api('POST', 'procurement/exercises', hr, exercise)).status).toBe(403);
    expect((await api('POST', 'procurement/exercises', auditor, exercise)).status).toBe(403);
    expect((await api('POST', 'procurement/exercises', federal, exercise)).status).toBe(403);
    const bad = await api('POST', 'procurement/exercises', officer, { code: '27-28', name: 'x' });
    expect(bad.status).toBe(400);
    const created = await api('POST', 'procurement/exercises', officer, exercise);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: '2027-2028', stage: 'NEEDS_DIAGNOSIS' });
    expect(created.body.calendar.find((s: any) => s.stage === 'DEMAND_INTEGRATION')).toMatchObject({ plannedStart: '2026-01-15', plannedEnd: '2026-03-31' });
    expect((await api('POST', 'procurement/exercises', officer, exercise)).status).toBe(409);

    const advanced = await api('POST', 'procurement/exercises/2027-2028/advance', officer, { toStage: 'DEMAND_INTEGRATION' });
    expect(advanced.status).toBe(200);
    expect(advanced.body.stage).toBe('DEMAND_INTEGRATION');
    const back = await api('POST', 'procurement/exercises/2027-2028/advance', officer, { toStage: 'NEEDS_DIAGNOSIS' });
    expect(back.status).toBe(400);
    expect(back.body.code).toBe('REASON_REQUIRED');
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'procurement.exercise-stage-changed.v1'`)).toBe(2);

    expect((await api('GET', 'procurement/exercises/2027-2028', federal)).status).toBe(200);
    expect((await api('GET', 'procurement/exercises', auditor)).body).toMatchObject({ total: 1, page: 1 });
    expect((await api('GET', 'procurement/exercises', hr)).status).toBe(403);
    expect((await api('POST', 'procurement/exercises', officer, { code: '2025-2026', name: 'Licitación 2025-2026' })).status).toBe(201);
  });

  it('refuses a file that is not a workbook with a clear message, writing nothing', async () => {
    const before = await snapshot();
    const garbage = await upload('procurement/exercises/2027-2028/demand/imports', Buffer.from('CLAVE,MIN,MAX\nnot,a,workbook\n'), 'demanda.xlsx');
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('not an .xlsx workbook') });
    expect((await upload('procurement/exercises/2027-2028/demand/imports', Buffer.from('x'), 'demanda.pdf')).status).toBe(415);
    // An annex cut short (as by a dropped upload), and a zip that is no workbook: 400 before any job.
    const annex = await readFile(ANNEX_2027);
    const cut = await upload('procurement/exercises/2027-2028/demand/imports', annex.subarray(0, Math.floor(annex.length * 0.9)), 'demanda.xlsx');
    expect([cut.status, cut.body.message]).toEqual([400, '"demanda.xlsx": The .xlsx file is damaged or incomplete (its zip directory cannot be read). Nothing was imported.']);
    const small = new ExcelJS.Workbook();
    small.addWorksheet('Anexo').addRow(['CLAVE', 'MIN', 'MAX']);
    const renamed = Buffer.from(Buffer.from(await small.xlsx.writeBuffer()).toString('latin1').split('xl/workbook.xml').join('xl/notebook.xml'), 'latin1');
    const notWorkbook = await upload('procurement/exercises/2027-2028/demand/imports', renamed, 'demanda.xlsx');
    expect([notWorkbook.status, notWorkbook.body.message]).toEqual([400, expect.stringContaining('not an Excel workbook (it has no xl/workbook.xml)')]);
    expect(await count(`SELECT count(*) AS n FROM job`)).toBe(0);
    expect(await readdir(join(stack.storageDir('procurement'), 'imports')).catch(() => [])).toEqual([]);
    expect((await upload('procurement/exercises/2027-2028/demand/imports', await readFile(ANNEX_2027), 'd.xlsx', officer, '{not json')).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('dry-runs the 2027-2028 annex: counts what it would write, writes nothing', async () => {
    const before = await snapshot();
    const job = await importAnnex('2027-2028', ANNEX_2027, true);
    expect(job.result).toMatchObject({ dryRun: true, claves: 3831, institutions: 62, lines: 3831 * 62, inserted: 3831 * 62, clavesAdded: 3831 });
    expect(await snapshot()).toEqual(before);
  });

  it('imports the 2027-2028 annex: 3,831 claves, 62 institutions, 23 states by INEGI code, every TOTALES equal to its parts', async () => {
    expect(facts.claves.size).toBe(3831);
    expect(facts.institutions).toHaveLength(62);
    expect(facts.badTotals).toBe(0);

    const job = await importAnnex('2027-2028', ANNEX_2027);
    expect(job.result).toMatchObject({ dryRun: false, rows: 3831, refusedRows: 0, totalsMismatches: 0, claves: 3831, institutions: 62, inserted: 3831 * 62, updated: 0 });
    expect(job.result.layout).toMatchObject({ source: 'detected', headerRow: 9, firstDataRow: 10, totalsChecked: true, unknownStates: [] });
    expect(job.result.layout.institutions.map((i: any) => i.name)).toEqual(facts.institutions);
    expect((await api('GET', `jobs/${job.id}/errors`, officer)).body.total).toBe(0);

    expect(await count(`SELECT count(*) AS n FROM clave`)).toBe(3831);
    // No description garbled by a character split between two reads of the file (U+FFFD).
    expect(await count(`SELECT count(*) AS n FROM clave WHERE strpos(description, chr(65533)) > 0`)).toBe(0);
    expect(await count(`SELECT count(DISTINCT institution) AS n FROM demand_line WHERE exercise_code = '2027-2028'`)).toBe(62);
    const states = (await db.query(`SELECT DISTINCT institution, state_code FROM demand_line WHERE state_code IS NOT NULL ORDER BY state_code`)).rows;
    expect(Object.fromEntries(states.map((s) => [s.institution.replace('IMSS BIENESTAR EF_ADHERIDA_', ''), s.state_code]))).toEqual(ADHERED);
    expect(states.map((s) => s.state_code)).not.toContain('31');
    // Every clave's lines add up to its published TOTALES.
    const sums = (await db.query(`SELECT clave, sum(min)::float8 AS min, sum(max)::float8 AS max FROM demand_line WHERE exercise_code = '2027-2028' GROUP BY clave`)).rows;
    expect(sums.filter((s) => facts.claves.get(s.clave)?.min !== s.min || facts.claves.get(s.clave)?.max !== s.max)).toEqual([]);
    // Its lines page on query parameters: page 2 is the database's second five, a page past the end is empty.
    const hidalgoLines = `FROM demand_line WHERE exercise_code = '2027-2028' AND state_code = '13'`;
    const second = await api('GET', 'procurement/exercises/2027-2028/demand?stateCode=13&page=2&pageSize=5', federal);
    expect(second.body).toMatchObject({ page: 2, pageSize: 5, total: await count(`SELECT count(*) AS n ${hidalgoLines}`) });
    const expected = (await db.query(`SELECT clave ${hidalgoLines} ORDER BY clave, institution LIMIT 5 OFFSET 5`)).rows.map((r) => r.clave);
    expect(second.body.items.map((l: any) => l.clave)).toEqual(expected);
    expect((await api('GET', 'procurement/exercises/2027-2028/demand?page=1000000&pageSize=1000', federal)).body.items).toEqual([]);
    const audit = (await api('GET', 'audit?pageSize=100', auditor)).body.items as any[];
    expect(audit.filter((a) => a.action === 'demand.imported')).toHaveLength(1);
  });

  it('re-imports the same annex without changing anything: no rows, no events, no audit', async () => {
    const before = await snapshot();
    const job = await importAnnex('2027-2028', ANNEX_2027);
    expect(job.result).toMatchObject({ inserted: 0, updated: 0, unchanged: 3831 * 62, clavesAdded: 0, clavesUpdated: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('imports the 2025-2026 annex: its two years as two columns of quantities, refusing claves outside the groups', async () => {
    const job = await importAnnex('2025-2026', ANNEX_2025);
    expect(job.result).toMatchObject({ rows: 3900, claves: 3881, refusedRows: 19, totalsMismatches: 0, institutions: 2 });
    expect(job.result.layout.institutions).toEqual([
      { name: 'Cantidad Solicitada 2025', stateCode: null },
      { name: 'Cantidad Solicitada 2026', stateCode: null },
    ]);
    expect(job.result.layout.skipped).toEqual(['Importe total 2025', 'Importe total 2026']);
    const errors = (await api('GET', `jobs/${job.id}/errors?pageSize=100`, officer)).body.items as any[];
    expect(errors).toHaveLength(19);
    expect((await api('GET', `jobs/${job.id}/errors?page=2&pageSize=10`, officer)).body.items).toEqual(errors.slice(10));
    expect((await api('GET', `jobs/${job.id}/errors?page=1e308`, officer)).body).toMatchObject({ statusCode: 400, message: expect.stringContaining('page must be a whole number from 1 to 1000000') });
    expect(errors[0]).toMatchObject({ field: 'CLAVE', message: expect.stringContaining('which is not one of 010, 030, 040, 060, 070, 080') });
    expect(await count(`SELECT count(*) AS n FROM demand_line WHERE exercise_code = '2025-2026'`)).toBe(3881 * 2);
  });

  it('serves the catalogue the annexes filled, paginated, and lets procurement officers extend it', async () => {
    const page = await api('GET', 'procurement/claves?group=080&page=2&pageSize=5', federal);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 5, total: await count(`SELECT count(*) AS n FROM clave WHERE grp = '080'`) });
    expect(page.body.items).toHaveLength(5);
    expect(page.body.items.every((c: any) => c.clave.startsWith('080.'))).toBe(true);
    const clave = { clave: '010.000.9999.01', description: 'MEDICAMENTO DE PRUEBA. Tableta 10 mg. Envase con 30 tabletas.', unit: 'Envase' };
    expect((await api('POST', 'procurement/claves', federal, clave)).status).toBe(403);
    expect((await api('POST', 'procurement/claves', officer, { ...clave, clave: '020.000.0001.00' })).body).toMatchObject({ statusCode: 400, message: expect.stringContaining('group 020') });
    expect((await api('POST', 'procurement/claves', officer, clave)).status).toBe(201);
    expect((await api('POST', 'procurement/claves', officer, clave)).status).toBe(409);
    expect((await api('GET', 'procurement/claves/010.000.9999.01', auditor)).body).toMatchObject({ clave: '010.000.9999.01', group: '010', unit: 'Envase' });
  });

  it('adds up a clave repeated in two partidas, reads text quantities, and reports a wrong total without hiding it', async () => {
    expect((await api('POST', 'procurement/exercises', officer, { code: '2021-2022', name: 'Anexo de prueba' })).status).toBe(201);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anexo');
    ws.getRow(3).values = [null, null, 'ISSSTE', null, 'IMSS BIENESTAR EF_ADHERIDA_OAXACA', null, 'TOTALES'];
    ws.getRow(4).values = ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX', 'MIN', 'MAX'];
    ws.addRow(['010.000.0104.00', 'PARACETAMOL', ' 1,200 ', '3,000', 40, 100, 1240, 3100]);
    ws.addRow(['010.000.0104.00', 'PARACETAMOL (segunda partida)', 10, 20, 0, 0, 10, 20]);
    ws.addRow(['060.345.3440', 'NEUROESTIMULADOR', 1, 2, 3, 4, 4, 7]);
    ws.addRow(['010.000.0105.00', 'X', 'muchos', 2, 0, 0, 0, 2]);
    const annex = Buffer.from(await wb.xlsx.writeBuffer());
    const first = await upload('procurement/exercises/2021-2022/demand/imports', annex, 'anexo.xlsx');
    const job = await waitJob(first.body.jobId);
    expect(job.result).toMatchObject({ rows: 4, refusedRows: 1, totalsMismatches: 1, repeatedClaves: 1, claves: 2, lines: 4, inserted: 4 });
    const errors = (await api('GET', `jobs/${job.id}/errors`, officer)).body.items as any[];
    expect(errors).toEqual([
      { row: 7, field: 'TOTALES MAX', message: 'the published total 7 differs from the sum of the institutions, 6' },
      { row: 8, field: 'ISSSTE MIN', message: expect.stringContaining('"muchos" is not a whole number of pieces') },
    ]);
    const lines = (await db.query(`SELECT clave, institution, state_code, min::int, max::int FROM demand_line WHERE exercise_code = '2021-2022' ORDER BY clave, institution`)).rows;
    expect(lines).toEqual([
      { clave: '010.000.0104.00', institution: 'IMSS BIENESTAR EF_ADHERIDA_OAXACA', state_code: '20', min: 40, max: 100 },
      { clave: '010.000.0104.00', institution: 'ISSSTE', state_code: null, min: 1210, max: 3020 },
      { clave: '060.345.3440', institution: 'IMSS BIENESTAR EF_ADHERIDA_OAXACA', state_code: '20', min: 3, max: 4 },
      { clave: '060.345.3440', institution: 'ISSSTE', state_code: null, min: 1, max: 2 },
    ]);
    const before = await snapshot();
    const again = await waitJob((await upload('procurement/exercises/2021-2022/demand/imports', annex, 'anexo.xlsx')).body.jobId);
    expect(again.result).toMatchObject({ lines: 4, inserted: 0, updated: 0, unchanged: 4 });
    expect(await snapshot()).toEqual(before);
  });

  it('imports with a column mapping sent by the user instead of the detected layout', async () => {
    expect((await api('POST', 'procurement/exercises', officer, { code: '2023-2024', name: 'Mapeo manual' })).status).toBe(201);
    const mapping = {
      headerRow: 9,
      clave: 'A',
      description: 'B',
      institutions: [
        { name: 'IMSS', min: 'C', max: 'D' },
        { name: 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', min: 'BE', max: 'BF' },
      ],
    };
    const bad = await upload('procurement/exercises/2023-2024/demand/imports', await readFile(ANNEX_2027), 'd.xlsx', officer, JSON.stringify({ ...mapping, clave: '??' }));
    expect(bad.status).toBe(202);
    expect(await waitJob(bad.body.jobId)).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('clave: "??" is not a column') });
    const res = await upload('procurement/exercises/2023-2024/demand/imports', await readFile(ANNEX_2027), 'd.xlsx', officer, JSON.stringify(mapping));
    expect(res.status).toBe(202);
    const job = await waitJob(res.body.jobId);
    expect(job.result).toMatchObject({ claves: 3831, institutions: 2, lines: 3831 * 2, refusedRows: 0, layout: { source: 'mapping', totalsChecked: false } });
    expect(job.result.layout.institutions).toEqual([
      { name: 'IMSS', stateCode: null },
      { name: 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', stateCode: '13' },
    ]);
    const [hidalgo] = (await db.query(`SELECT sum(min)::float8 AS min FROM demand_line WHERE exercise_code = '2023-2024' AND state_code = '13'`)).rows;
    const [published] = (await db.query(`SELECT sum(min)::float8 AS min FROM demand_line WHERE exercise_code = '2027-2028' AND state_code = '13'`)).rows;
    expect(hidalgo.min).toBe(published.min);
  });

  it('consolidates: national MIN/MAX per clave equal to the published TOTALES, exportable', async () => {
    const result = await consolidate('2027-2028');
    expect(result).toMatchObject({ claves: 3831, institutions: 62, totalMin: facts.totalMin, totalMax: facts.totalMax, enrolledStates: [] });
    const national = await api('GET', 'procurement/exercises/2027-2028/consolidation?page=1&pageSize=50', federal);
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({ claves: 3831, institutions: 62, totalMin: facts.totalMin, totalMax: facts.totalMax, total: 3831, page: 1, pageSize: 50 });
    expect(national.body.items).toHaveLength(50);
    for (const item of national.body.items) expect({ min: item.min, max: item.max }).toEqual(facts.claves.get(item.clave));
    // Paging runs on query parameters: the last page is served, a page past it is empty, and a page
    // beyond the bound is refused naming it (1e308 used to reach SQL as OFFSET Infinity: a 500).
    const last = await api('GET', 'procurement/exercises/2027-2028/consolidation?page=39&pageSize=100', federal);
    expect(last.body).toMatchObject({ total: 3831, page: 39, pageSize: 100 });
    expect(last.body.items).toHaveLength(31);
    expect((await api('GET', 'procurement/exercises/2027-2028/consolidation?page=1000000&pageSize=1000', federal)).body).toMatchObject({ items: [], total: 3831 });
    for (const deep of ['page=1e308', 'page=1000001', 'pageSize=1e308']) {
      expect((await api('GET', `procurement/exercises/2027-2028/consolidation?${deep}`, federal)).body).toMatchObject({
        statusCode: 400,
        message: expect.stringMatching(/page(Size)? must be a whole number from 1 to 1000(000)?$/),
      });
    }
    const one = await api('GET', 'procurement/exercises/2027-2028/consolidation?clave=010.000.4272.00', auditor);
    expect(one.body.items).toEqual([{ clave: '010.000.4272.00', description: expect.stringContaining('ABACAVIR'), ...facts.claves.get('010.000.4272.00') }]);
    const hidalgo = await api('GET', 'procurement/exercises/2027-2028/consolidation?stateCode=13', federal);
    const [{ min, max }] = (await db.query(`SELECT sum(min)::float8 AS min, sum(max)::float8 AS max FROM demand_line WHERE exercise_code = '2027-2028' AND institution = 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO'`)).rows;
    expect(hidalgo.body).toMatchObject({ institutions: 1, totalMin: min, totalMax: max });
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'procurement.demand-consolidated.v1'`)).toBe(1);

    const csv = await api('GET', 'procurement/exercises/2027-2028/consolidation.csv', federal);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines).toHaveLength(3832);
    const xlsx = await fetch(`${service.url}/api/procurement/exercises/2027-2028/consolidation.xlsx`, { headers: { authorization: `Bearer ${federal}` } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
    expect(wb.worksheets[0].rowCount).toBe(3833);
  });

  it('enrolls a state that reaches OPERATION in the real transfer service, closing its gate item; the next consolidation buys for it under IMSS-BIENESTAR', async () => {
    // A small exercise whose annex names Yucatán, which the joining history leaves handing over its units.
    expect((await api('POST', 'procurement/exercises', officer, { code: '2019-2020', name: 'Anexo con Yucatán' })).status).toBe(201);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anexo');
    ws.getRow(3).values = [null, null, 'ISSSTE', null, 'IMSS BIENESTAR EF_ADHERIDA_YUCATAN', null, 'TOTALES'];
    ws.getRow(4).values = ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX', 'MIN', 'MAX'];
    ws.addRow(['010.000.0104.00', 'PARACETAMOL', 100, 200, 30, 60, 130, 260]);
    const annex = await upload('procurement/exercises/2019-2020/demand/imports', Buffer.from(await wb.xlsx.writeBuffer()), 'anexo-yucatan.xlsx');
    expect((await waitJob(annex.body.jobId)).result).toMatchObject({ claves: 1, lines: 2, totalsMismatches: 0 });
    const buyerOfYucatan = async () =>
      (await api('GET', 'procurement/exercises/2019-2020/consolidation/breakdown', federal)).body.byInstitution.find((i: any) => i.stateCode === '31');
    const before = await consolidate('2019-2020');
    expect(before).toMatchObject({ totalMin: 130, totalMax: 260, enrolledStates: [] });
    expect(await buyerOfYucatan()).toMatchObject({ buyer: 'IMSS BIENESTAR EF_ADHERIDA_YUCATAN', min: 30, max: 60 });

    // The real transfer service, on the same Kafka namespace. Its seeded joining history puts the 23
    // states that joined in 2022-2023 in OPERATION, and procurement enrolls each from its events.
    const transferService = await stack.start('transfer');
    const enrolledStates = async () => ((await api('GET', 'procurement/enrollments?pageSize=100', federal)).body.items as any[]).map((e) => e.stateCode).sort();
    const operating = Object.values(ADHERED).sort();
    await waitFor(async () => (await enrolledStates()).length === operating.length, { timeoutMs: 60000, what: 'the 23 operating states to be enrolled' });
    expect(await enrolledStates()).toEqual(operating);

    // Yucatán's journey through transfer's HTTP API: HANDOVER (two manual items, HR's roster
    // reconciliation) → PAYROLL (HR's payroll transfer) → OPERATION. HR's events are played here.
    const yucatan = await issuer.sign({ sub: 'yara', roles: ['state-coordinator'], states: ['31'] });
    const onTransfer = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${transferService.url}/api/transfers/31${path}`, {
        method,
        headers: { authorization: `Bearer ${yucatan}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const itemDone = (itemId: string) =>
      waitFor(async () => (await onTransfer('GET', '')).body.checklist.find((i: any) => i.id === itemId && i.done), { timeoutMs: 30000, what: `${itemId} to close` });
    expect((await onTransfer('GET', '')).body.stage).toBe('HANDOVER');
    for (const itemId of ['handover-actas', 'clues-re-registered']) {
      expect((await onTransfer('POST', `/checklist/${itemId}`, { evidence: { reference: `YUC/${itemId}/2026`, date: '2026-05-04' } })).status).toBe(200);
    }
    await source.send(RosterReconciled, { stateCode: '31', workers: 21480, reconciledAt: new Date().toISOString() });
    await itemDone('roster-reconciled');
    expect((await onTransfer('POST', '/advance', { toStage: 'PAYROLL' })).status).toBe(200);
    await source.send(PayrollTransferred, { stateCode: '31', workers: 21480, effectiveDate: '2026-07-01' });
    await itemDone('payroll-federalized');
    const operation = await onTransfer('POST', '/advance', { toStage: 'OPERATION' });
    expect(operation.body).toMatchObject({ stage: 'OPERATION', checklist: [expect.objectContaining({ id: 'consolidated-purchase-enrollment', done: false })] });

    // Procurement enrolls Yucatán from transfer's events and says so; transfer closes the gate item.
    const enrollment = await waitFor(
      async () => ((await api('GET', 'procurement/enrollments?pageSize=100', federal)).body.items as any[]).find((e) => e.stateCode === '31'),
      { timeoutMs: 60000, what: 'Yucatán to be enrolled' },
    );
    expect(enrollment).toEqual({ stateCode: '31', stateName: 'Yucatán', exerciseCode: '2027-2028', enrolledAt: new Date(operation.body.stageSince).toISOString() });
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'procurement.state-enrolled.v1' AND (event::jsonb)->'data'->>'stateCode' = '31'`)).toBe(1);
    expect(await itemDone('consolidated-purchase-enrollment')).toMatchObject({ doneBy: 'procurement.state-enrolled.v1', source: 'event' });

    // The next consolidations: Yucatán's demand now rolls up under IMSS-BIENESTAR; the totals never move.
    const after = await consolidate('2019-2020');
    expect(after).toMatchObject({ totalMin: 130, totalMax: 260, enrolledStates: [...operating, '31'].sort() });
    expect(await buyerOfYucatan()).toMatchObject({ buyer: 'IMSS-BIENESTAR', min: 30, max: 60 });
    const national = await consolidate('2027-2028');
    expect(national).toMatchObject({ totalMin: facts.totalMin, totalMax: facts.totalMax, enrolledStates: [...operating, '31'].sort() });
    const breakdown = (await api('GET', 'procurement/exercises/2027-2028/consolidation/breakdown', federal)).body;
    expect(breakdown.byInstitution.find((i: any) => i.stateCode === '13')).toMatchObject({ institution: 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', buyer: 'IMSS-BIENESTAR' });
    expect(breakdown.byState.find((s: any) => s.stateCode === '20')).toMatchObject({ enrolled: true, buyer: 'IMSS-BIENESTAR' });
    const imssBienestar = breakdown.byBuyer.find((b: any) => b.buyer === 'IMSS-BIENESTAR');
    expect({ states: [...imssBienestar.states].sort(), institutions: imssBienestar.institutions }).toEqual({ states: operating, institutions: 23 });
    expect(breakdown.byBuyer.reduce((sum: number, b: any) => sum + b.max, 0)).toBe(facts.totalMax);
  });
});
