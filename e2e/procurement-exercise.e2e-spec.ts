import ExcelJS from 'exceljs';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { AwardIssued, ClaveDeserted, CloudEvent, DeliveryReceived, SupplyOrderIssued, Topics } from '@imb/contracts';
import { createKafka, ensureTopics } from '@imb/messaging';
import { RunningService, ServiceStack, uniqueName, waitFor, waitForJob } from '@imb/testing';

/**
 * A whole consolidated-purchase exercise on generated data, on a real procurement process with
 * Kafka, PostgreSQL and Redis: the demand annex (a small generated .xlsx in the 2027-2028 layout)
 * → consolidation → reference prices and bids (entered and imported) → evaluation with an award
 * split 60/40, a deserted and two not-solvent claves → open contracts → supply orders split among
 * states → partial, late, repeated and excessive deliveries → fill rate, supplier compliance and
 * penalties equal to figures computed by hand below.
 */

const EXERCISE = '2031-2032';
const HG = '13';
const NT = '18';
const TL = '29';

// Claves: C1 awarded 60/40, C2 awarded to its only solvent bid, C3 not solvent (over the
// reference price; missing price), C4 deserted (no bids), C5 not solvent (supplier's record).
const C1 = '010.000.0104.00';
const C2 = '010.000.0101.00';
const C3 = '060.345.3440';
const C4 = '080.000.0001.00';
const C5 = '010.000.0106.00';

const A = 'LAB010101AB1'; // good record (90 % on time)
const B = 'MED020202CD3'; // no record in the window (its bad month is before it)
const C = 'FAR030303EF5'; // 2 of 10 pieces on time in the window: below 50 %

/** Demand MIN/MAX per clave: IMSS, then the adhered states Hidalgo, Nayarit, Tlaxcala. */
const DEMAND: [string, string, number[]][] = [
  [C1, 'PARACETAMOL 500 MG TABLETA', [400, 1000, 200, 500, 120, 300, 80, 200]],
  [C2, 'ACIDO ACETILSALICILICO 500 MG', [40, 100, 100, 250, 40, 100, 60, 150]],
  [C3, 'GASA SECA', [10, 25, 10, 25, 0, 0, 6, 15]],
  [C4, 'REACTIVO DE LABORATORIO', [4, 10, 4, 10, 4, 10, 4, 10]],
  [C5, 'METAMIZOL 500 MG', [20, 50, 20, 50, 20, 50, 20, 50]],
];
const INSTITUTIONS = ['IMSS', 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', 'IMSS BIENESTAR EF_ADHERIDA_NAYARIT', 'IMSS BIENESTAR EF_ADHERIDA_TLAXCALA'];

/** The annex as published for 2027-2028: institutions in row 8, CLAVE/DESCRIPCIÓN/MIN/MAX in row 9, TOTALES last. */
async function annex(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('DEMANDA');
  ws.getRow(2).getCell(1).value = `COMPRA CONSOLIDADA ${EXERCISE} — DEMANDA`;
  const titles = [...INSTITUTIONS, 'TOTALES'];
  titles.forEach((t, i) => (ws.getRow(8).getCell(3 + 2 * i).value = t));
  ws.getRow(9).values = ['CLAVE', 'DESCRIPCIÓN', ...titles.flatMap(() => ['MIN', 'MAX'])];
  DEMAND.forEach(([clave, description, q], r) => {
    const min = q.filter((_, i) => i % 2 === 0).reduce((s, x) => s + x, 0);
    const max = q.filter((_, i) => i % 2 === 1).reduce((s, x) => s + x, 0);
    // Numbers as the annexes print them: thousands separators and stray spaces.
    ws.getRow(10 + r).values = [clave, description, ...q.map((x) => `${x.toLocaleString('en-US')} `), min, max];
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Bids as a supplier-evaluation sheet would list them, with a bad RFC row. */
async function bidFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('PROPUESTAS');
  ws.getRow(1).values = ['Propuestas económicas'];
  ws.getRow(3).values = ['RFC', 'CLAVE', 'PRECIO UNITARIO', 'CANTIDAD OFERTADA'];
  ws.getRow(4).values = [A, C1, '9.50', '2,000'];
  ws.getRow(5).values = [B, C1, 9, 2000];
  ws.getRow(6).values = [C, C1, 8, 2000];
  ws.getRow(7).values = [B, C3, null, 40];
  ws.getRow(8).values = ['NOT-AN-RFC', C2, 1, 1];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('procurement: a full exercise from demand to fill rate and penalties', () => {
  const stack = new ServiceStack('e2e-proc-exercise');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let service: RunningService;
  let db: Client;
  let consumer: Consumer;
  const received: CloudEvent[] = [];
  let officer: string;
  let federal: string;
  let auditor: string;
  let hidalgo: string;

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${service.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const upload = async (path: string, file: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([file]), name);
    const res = await fetch(`${service.url}/api/${path}`, { method: 'POST', headers: { authorization: `Bearer ${officer}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const job = async (started: { status: number; body: any }) => {
    expect(started.status).toBe(202);
    return waitForJob<any>(service, started.body.jobId, officer);
  };
  const outbox = async (type: string) => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE type = $1`, [type])).rows[0].n);
  const deliver = (orderId: string, deliveryKey: string, quantity: number, deliveredOn: string) =>
    api('POST', `procurement/supply-orders/${orderId}/deliveries`, officer, { deliveryKey, quantity, deliveredOn });

  beforeAll(async () => {
    service = await stack.start('procurement');
    db = await stack.connect('procurement');
    [officer, federal, auditor, hidalgo] = await Promise.all([
      issuer.sign({ sub: 'olga', roles: ['procurement-officer'], states: [HG, NT, TL] }),
      issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] }),
      issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] }),
      issuer.sign({ sub: 'hilda', roles: ['state-coordinator'], states: [HG] }),
    ]);
    const kafka = createKafka({ clientId: 'e2e-proc-exercise' });
    const topics = [`${stack.namespace}.${Topics.ProcurementTender}`, `${stack.namespace}.${Topics.ProcurementSupply}`];
    await ensureTopics(kafka, topics);
    consumer = kafka.consumer({ groupId: uniqueName('e2e-proc-exercise') });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(message.value!.toString()) as CloudEvent) });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await stack.stop();
  });

  it('runs the exercise end to end with hand-computed figures', async () => {
    // Demand: the exercise, its annex imported, and the consolidation.
    expect((await api('POST', 'procurement/exercises', officer, { code: EXERCISE, name: `Compra consolidada ${EXERCISE}` })).status).toBe(201);
    const imported = await job(await upload(`procurement/exercises/${EXERCISE}/demand/imports?dryRun=false`, await annex(), `demanda-${EXERCISE}.xlsx`));
    expect(imported.status).toBe('completed');
    expect(Number((await db.query(`SELECT count(*) AS n FROM demand_line WHERE exercise_code = $1 AND max > 0`, [EXERCISE])).rows[0].n)).toBe(19);
    const consolidated = await job(await api('POST', `procurement/exercises/${EXERCISE}/consolidate`, officer));
    expect(consolidated.status).toBe('completed');
    const national = (await api('GET', `procurement/exercises/${EXERCISE}/consolidation`, officer)).body;
    expect({ claves: national.claves, totalMin: Number(national.totalMin), totalMax: Number(national.totalMax) }).toEqual({ claves: 5, totalMin: 1162, totalMax: 2905 });

    // Terms: split 60/40, 1 % a day capped at 10 % of the order.
    const terms = await api('PUT', `procurement/exercises/${EXERCISE}/tender/terms`, officer, { awardShares: [60, 40], penaltyRatePerDay: 0.01, penaltyCapShare: 0.1 });
    expect(terms.body).toMatchObject({ awardShares: [60, 40], complianceThreshold: 0.5, complianceMonths: 6, penaltyRatePerDay: 0.01, penaltyCapShare: 0.1 });
    expect((await api('PUT', `procurement/exercises/${EXERCISE}/tender/terms`, officer, { awardShares: [60, 30] })).status).toBe(400);

    // Reference prices (one clave outside the demand is refused and nothing is written).
    const outside = await api('PUT', `procurement/exercises/${EXERCISE}/tender/reference-prices`, officer, { items: [{ clave: C1, price: 10 }, { clave: '010.000.9999.00', price: 1 }] });
    expect(outside.status).toBe(404);
    const prices = await api('PUT', `procurement/exercises/${EXERCISE}/tender/reference-prices`, officer, {
      items: [
        { clave: C1, price: 10 },
        { clave: C2, price: 5 },
        { clave: C3, price: 2 },
        { clave: C4, price: 3 },
      ],
    });
    expect(prices.body).toEqual({ exerciseCode: EXERCISE, set: 4, unchanged: 0 });
    expect((await api('PUT', `procurement/exercises/${EXERCISE}/tender/reference-prices/${C5}`, officer, { price: 4 })).body).toMatchObject({ set: 1 });

    // Suppliers' records before the system: evaluation on 2026-09-15 looks at 2026-03 … 2026-08.
    const history = await api('PUT', 'procurement/suppliers/compliance-history', officer, {
      items: [
        { supplierRfc: A, month: '2026-05', piecesDue: 100, piecesOnTime: 90 },
        { supplierRfc: B, month: '2026-02', piecesDue: 100, piecesOnTime: 0 },
        { supplierRfc: C, month: '2026-06', piecesDue: 10, piecesOnTime: 2 },
      ],
    });
    expect(history.body).toEqual({ recorded: 3 });
    const recordC = (await api('GET', `procurement/suppliers/${C}/compliance?asOf=2026-09-15`, officer)).body;
    expect(recordC).toMatchObject({ window: { from: '2026-03-01', to: '2026-09-01' }, piecesDue: 10, piecesOnTime: 2, compliance: 0.2 });
    expect((await api('GET', `procurement/suppliers/${B}/compliance?asOf=2026-09-15`, officer)).body.compliance).toBeNull();

    // Bids: a file (one bad row), then one by one; a bad RFC is refused with a 400.
    const dryRun = await job(await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports?dryRun=true`, await bidFile(), 'propuestas.xlsx'));
    expect(dryRun.result).toMatchObject({ dryRun: true, rows: 5, inserted: 4, errors: 1 });
    expect(Number((await db.query(`SELECT count(*) AS n FROM bid`)).rows[0].n)).toBe(0);
    const bidImport = await job(await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports`, await bidFile(), 'propuestas.xlsx'));
    expect(bidImport.status).toBe('completed');
    expect(bidImport.result).toMatchObject({ rows: 5, inserted: 4, updated: 0, errors: 1 });
    expect(bidImport.errors).toEqual([expect.objectContaining({ row: 8, field: 'RFC' })]);
    // Files that are not bid files are refused at once, and nothing waits for a job.
    const garbage = await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports`, Buffer.from('PK\u0003\u0004 not a workbook'), 'propuestas.xlsx');
    expect([garbage.status, garbage.body.error]).toEqual([400, 'Bad Request']);
    // A workbook cut short, and a zip that is no workbook, are refused before any job is written.
    const jobsBefore = Number((await db.query(`SELECT count(*) AS n FROM job`)).rows[0].n);
    const whole = await bidFile();
    const cut = await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports`, whole.subarray(0, Math.floor(whole.length * 0.8)), 'propuestas.xlsx');
    expect([cut.status, cut.body.message]).toEqual([400, 'propuestas.xlsx: The .xlsx file is damaged or incomplete (its zip directory cannot be read). Nothing was imported.']);
    const renamed = Buffer.from(whole.toString('latin1').split('xl/workbook.xml').join('xl/notebook.xml'), 'latin1');
    const notWorkbook = await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports?dryRun=true`, renamed, 'propuestas.xlsx');
    expect([notWorkbook.status, notWorkbook.body.message]).toEqual([400, expect.stringContaining('not an Excel workbook (it has no xl/workbook.xml)')]);
    expect(Number((await db.query(`SELECT count(*) AS n FROM job`)).rows[0].n)).toBe(jobsBefore);
    const headless = await upload(`procurement/exercises/${EXERCISE}/tender/bids/imports`, Buffer.from('a;b\n1;2\n'), 'propuestas.csv');
    expect(headless.status).toBe(400);
    expect(headless.body.message).toContain('no row with the columns RFC and CLAVE');
    expect(Number((await db.query(`SELECT count(*) AS n FROM bid_import_file`)).rows[0].n)).toBe(0);
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, officer, { supplierRfc: 'XX', clave: C2, unitPrice: 1, offeredQuantity: 1 })).status).toBe(400);
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, officer, { supplierRfc: A, clave: C2, unitPrice: 4.5, offeredQuantity: 600 })).status).toBe(201);
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, officer, { supplierRfc: A, clave: C3, unitPrice: 2.5, offeredQuantity: 40 })).status).toBe(201);
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, officer, { supplierRfc: C, clave: C5, unitPrice: 3, offeredQuantity: 200 })).status).toBe(201);
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, auditor, { supplierRfc: C, clave: C5, unitPrice: 3, offeredQuantity: 200 })).status).toBe(403);

    // Evaluation: 2 awarded, 1 deserted, 2 not solvent; re-running it changes nothing.
    const evaluated = await job(await api('POST', `procurement/exercises/${EXERCISE}/tender/evaluate`, officer, { asOf: '2026-09-15' }));
    expect(evaluated.result).toMatchObject({ claves: 5, awarded: 2, deserted: 1, notSolvent: 2, bids: 7, solventBids: 3, changedClaves: 5 });
    expect((await api('GET', `procurement/exercises/${EXERCISE}/tender/outcomes`, auditor)).body).toMatchObject({ claves: 5, awarded: 2, deserted: 1, notSolvent: 2, asOf: '2026-09-15' });
    const claves = new Map(((await api('GET', `procurement/exercises/${EXERCISE}/tender/claves`, officer)).body.items as any[]).map((c) => [c.clave, c]));
    // C1: national MIN 800 / MAX 2000; B cheapest solvent (9.00) takes 60 %, A (9.50) 40 %; C (8.00) refused.
    expect(claves.get(C1).awards.map((a: any) => [a.supplierRfc, a.unitPrice, a.sharePct, a.min, a.max])).toEqual([
      [B, 9, 60, 480, 1200],
      [A, 9.5, 40, 320, 800],
    ]);
    expect(claves.get(C2).awards.map((a: any) => [a.supplierRfc, a.sharePct, a.min, a.max])).toEqual([[A, 100, 240, 600]]);
    expect([claves.get(C3).outcome, claves.get(C4).outcome, claves.get(C5).outcome]).toEqual(['NOT_SOLVENT', 'DESERTED', 'NOT_SOLVENT']);
    const bids = (await api('GET', `procurement/exercises/${EXERCISE}/tender/bids?solvent=false`, officer)).body.items as any[];
    const reasons = Object.fromEntries(bids.map((b) => [`${b.clave} ${b.supplierRfc}`, b.reasons.map((r: any) => r.code)]));
    expect(reasons).toEqual({
      [`${C1} ${C}`]: ['LOW_COMPLIANCE'],
      [`${C3} ${A}`]: ['OVER_REFERENCE_PRICE'],
      [`${C3} ${B}`]: ['MISSING_DATA'],
      [`${C5} ${C}`]: ['LOW_COMPLIANCE'],
    });
    const again = await job(await api('POST', `procurement/exercises/${EXERCISE}/tender/evaluate`, officer, { asOf: '2026-09-15' }));
    expect(again.result).toMatchObject({ awarded: 2, deserted: 1, notSolvent: 2, changedClaves: 0, changedBids: 0 });
    expect([await outbox(AwardIssued.type), await outbox(ClaveDeserted.type)]).toEqual([2, 3]);

    // Open contracts, once.
    expect((await api('POST', `procurement/exercises/${EXERCISE}/contracts`, officer)).body).toMatchObject({ opened: 3, alreadyOpen: 0 });
    expect((await api('POST', `procurement/exercises/${EXERCISE}/contracts`, officer)).body).toMatchObject({ opened: 0, alreadyOpen: 3 });
    const contracts = (await api('GET', `procurement/exercises/${EXERCISE}/contracts`, federal)).body.items as any[];
    const c1b = contracts.find((c) => c.clave === C1 && c.supplierRfc === B);
    const c2a = contracts.find((c) => c.clave === C2 && c.supplierRfc === A);
    expect(c1b).toMatchObject({ min: 480, max: 1200, unitPrice: 9, penaltyRatePerDay: 0.01, penaltyCapShare: 0.1 });
    expect((await api('POST', `procurement/exercises/${EXERCISE}/tender/bids`, officer, { supplierRfc: C, clave: C5, unitPrice: 2, offeredQuantity: 200 })).status).toBe(409);
    // A re-evaluation that would change a contracted award fails and changes nothing.
    await api('PUT', `procurement/exercises/${EXERCISE}/tender/reference-prices/${C1}`, officer, { price: 8.5 });
    const final = await job(await api('POST', `procurement/exercises/${EXERCISE}/tender/evaluate`, officer, { asOf: '2026-09-15' }));
    expect(final.status).toBe('failed');
    expect(final.failureReason).toContain('AWARD_FINAL');
    expect((await api('GET', `procurement/exercises/${EXERCISE}/tender/outcomes`, officer)).body).toMatchObject({ awarded: 2, deserted: 1, notSolvent: 2 });

    // Supply orders split by the states' MAX (C1: 500/300/200; C2: 250/100/150).
    // 999 → quotas 499.5 / 299.7 / 199.8 → floors 499/299/199, the 2 left to the largest remainders (TL .8, NT .7).
    const o1 = await api('POST', `procurement/contracts/${c1b.id}/supply-orders`, officer, { quantity: 999, dueDate: '2026-10-01', requestKey: 'OS-C1-1' });
    expect(o1.status).toBe(201);
    const o1again = await api('POST', `procurement/contracts/${c1b.id}/supply-orders`, officer, { quantity: 999, dueDate: '2026-10-01', requestKey: 'OS-C1-1' });
    expect([o1again.status, o1again.body.batchId]).toEqual([200, o1.body.batchId]);
    expect(o1.body.orders.map((o: any) => [o.stateCode, o.quantity])).toEqual([
      [HG, 499],
      [NT, 300],
      [TL, 200],
    ]);
    expect((await api('POST', `procurement/contracts/${c1b.id}/supply-orders`, officer, { quantity: 1, dueDate: '2026-02-31' })).status).toBe(400);
    // 202 more would take the contract to 1,201 > MAX 1,200: refused whole.
    const over = await api('POST', `procurement/contracts/${c1b.id}/supply-orders`, officer, { quantity: 202, dueDate: '2026-10-01' });
    expect(over.status).toBe(409);
    expect(over.body.message).toContain('above its MAX of 1200');
    expect((await api('GET', `procurement/contracts/${c1b.id}`, officer)).body).toMatchObject({ ordered: 999, available: 201 });
    const o2 = await api('POST', `procurement/contracts/${c2a.id}/supply-orders`, officer, { quantity: 450, dueDate: '2026-10-10' });
    expect(o2.body.orders.map((o: any) => [o.stateCode, o.quantity])).toEqual([
      [HG, 225],
      [NT, 90],
      [TL, 135],
    ]);
    const order = (batch: any, state: string) => batch.body.orders.find((o: any) => o.stateCode === state).id as string;

    // Deliveries: partial, on time, late, repeated, excessive.
    expect((await deliver(order(o1, HG), 'REM-HG-1', 300, '2026-09-28')).status).toBe(201); // on time
    expect((await deliver(order(o1, HG), 'REM-HG-2', 150, '2026-10-06')).status).toBe(201); // 5 days late
    const repeated = await deliver(order(o1, HG), 'REM-HG-2', 150, '2026-10-06');
    expect(repeated.status).toBe(200); // the same delivery reported twice counts once
    expect((await deliver(order(o1, HG), 'REM-HG-2', 10, '2026-10-06')).status).toBe(409); // key reused for another delivery
    expect((await deliver(order(o1, NT), 'REM-NT-1', 300, '2026-10-01')).status).toBe(201); // on the due date
    const excess = await deliver(order(o1, NT), 'REM-NT-2', 1, '2026-10-02');
    expect(excess.status).toBe(409);
    expect(excess.body.message).toContain('300 ordered, 300 delivered, 0 pending');
    expect((await deliver(order(o1, TL), 'REM-TL-1', 200, '2026-10-31')).status).toBe(201); // 30 days late
    expect((await deliver(order(o2, HG), 'REM-HG-3', 225, '2026-10-13')).status).toBe(201); // 3 days late
    expect((await deliver(order(o2, TL), 'REM-TL-2', 100, '2026-10-10')).status).toBe(201); // on time, partial
    expect((await deliver(order(o2, TL), 'REM-TL-3', 1, '2099-01-01')).status).toBe(400); // not received yet

    // Fill rate by state: HG 675/724, NT 300/390, TL 300/335; nationally 1,275/1,449.
    const byState = (await api('GET', `procurement/exercises/${EXERCISE}/fill-rate?by=state`, federal)).body;
    expect(byState.items.map((i: any) => [i.stateCode, i.ordered, i.delivered, i.deliveredOnTime, i.fillRate])).toEqual([
      [HG, 724, 675, 300, 0.9323],
      [NT, 390, 300, 300, 0.7692],
      [TL, 335, 300, 100, 0.8955],
    ]);
    expect(byState.totals).toMatchObject({ orders: 6, ordered: 1449, delivered: 1275, fillRate: 0.8799 });
    const byClave = (await api('GET', `procurement/exercises/${EXERCISE}/fill-rate?by=clave`, officer)).body;
    expect(byClave.items.map((i: any) => [i.clave, i.ordered, i.delivered, i.fillRate])).toEqual([
      [C2, 450, 325, 0.7222],
      [C1, 999, 950, 0.951],
    ]);
    const bySupplier = (await api('GET', `procurement/exercises/${EXERCISE}/fill-rate?by=supplier`, auditor)).body;
    expect(bySupplier.items.map((i: any) => [i.supplierRfc, i.ordered, i.delivered])).toEqual([
      [A, 450, 325],
      [B, 999, 950],
    ]);
    // Supplier compliance: on-time pieces / pieces due — B 600/999, A 100/450.
    const compliance = (await api('GET', `procurement/exercises/${EXERCISE}/supplier-compliance?asOf=2026-11-01`, officer)).body;
    expect(compliance.items.map((i: any) => [i.supplierRfc, i.piecesDue, i.piecesOnTime, i.compliance])).toEqual([
      [A, 450, 100, 0.2222],
      [B, 999, 600, 0.6006],
    ]);

    // Penalties, 1 % a day on the late pieces' value, capped at 10 % of the order:
    // HG C1: 150 × 9 = 1,350 × 5 % = 67.50; TL C1: 200 × 9 = 1,800 × 30 % = 540 → cap 180;
    // HG C2: 225 × 4.50 = 1,012.50 × 3 % = 30.375 → 30.38. Total 277.88 (637.88 before caps).
    const penalties = (await api('GET', `procurement/exercises/${EXERCISE}/penalties`, officer)).body;
    expect(penalties.totals).toEqual({ orders: 3, latePieces: 575, uncapped: 637.88, penalty: 277.88 });
    const byOrder = Object.fromEntries((penalties.items as any[]).map((p) => [p.orderId, [p.uncapped, p.cap, p.penalty, p.capped]]));
    expect(byOrder).toEqual({
      [order(o1, HG)]: [67.5, 449.1, 67.5, false],
      [order(o1, TL)]: [540, 180, 180, true],
      [order(o2, HG)]: [30.38, 101.25, 30.38, false],
    });
    const hgOrder = (await api('GET', `procurement/supply-orders/${order(o1, HG)}`, officer)).body;
    expect(hgOrder).toMatchObject({ quantity: 499, delivered: 450, deliveredOnTime: 300, pending: 49, penalty: { penalty: 67.5 } });
    expect(hgOrder.deliveries).toHaveLength(2);

    // A state coordinator reads Hidalgo's supply only.
    expect((await api('GET', `procurement/supply-orders/${order(o1, TL)}`, hidalgo)).status).toBe(403);
    expect((await api('GET', `procurement/supply-orders/${order(o1, TL)}/deliveries`, hidalgo)).status).toBe(403);
    expect((await api('GET', `procurement/exercises/${EXERCISE}/supply-orders?stateCode=${TL}`, hidalgo)).status).toBe(403);
    const own = (await api('GET', `procurement/exercises/${EXERCISE}/supply-orders`, hidalgo)).body;
    expect(own.items.map((o: any) => o.stateCode)).toEqual([HG, HG]);
    expect((await api('GET', `procurement/supply-orders/${order(o1, HG)}/deliveries`, hidalgo)).body.items).toHaveLength(2);
    const hgFill = (await api('GET', `procurement/exercises/${EXERCISE}/fill-rate?by=clave`, hidalgo)).body;
    expect(hgFill.totals).toMatchObject({ ordered: 724, delivered: 675 });
    expect((await api('POST', `procurement/supply-orders/${order(o1, HG)}/deliveries`, hidalgo, { deliveryKey: 'REM-HG-9', quantity: 1, deliveredOn: '2026-10-20' })).status).toBe(403);
    // An officer carrying Hidalgo only may not record Tlaxcala's deliveries nor read its orders.
    const officerHg = await issuer.sign({ sub: 'hugo', roles: ['procurement-officer'], states: [HG] });
    expect((await api('POST', `procurement/supply-orders/${order(o2, TL)}/deliveries`, officerHg, { deliveryKey: 'REM-TL-9', quantity: 1, deliveredOn: '2026-10-20' })).status).toBe(403);
    expect((await api('GET', `procurement/exercises/${EXERCISE}/fill-rate?by=state&stateCode=${TL}`, officerHg)).status).toBe(403);

    // Audited, and on Kafka: 2 awards, 3 deserted / not solvent, 6 orders, 6 deliveries (the repeat counted once).
    const audit = await db.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action IN ('tender.evaluated', 'contracts.opened', 'supply-orders.issued', 'delivery.received') GROUP BY action ORDER BY action`);
    expect(audit.rows).toEqual([
      { action: 'contracts.opened', n: 1 },
      { action: 'delivery.received', n: 6 },
      { action: 'supply-orders.issued', n: 2 },
      { action: 'tender.evaluated', n: 1 },
    ]);
    const expected = { [AwardIssued.type]: 2, [ClaveDeserted.type]: 3, [SupplyOrderIssued.type]: 6, [DeliveryReceived.type]: 6 };
    const seen = () => Object.fromEntries(Object.keys(expected).map((t) => [t, new Set(received.filter((e) => e.type === t).map((e) => e.id)).size]));
    await waitFor(async () => Object.entries(expected).every(([t, n]) => seen()[t] >= n), { timeoutMs: 30000, intervalMs: 200, what: 'procurement events on Kafka' });
    expect(seen()).toEqual(expected);
    const deserted = received.filter((e) => e.type === ClaveDeserted.type).map((e) => [(e.data as any).clave, (e.data as any).outcome]);
    expect(deserted.sort()).toEqual([
      [C5, 'NOT_SOLVENT'],
      [C3, 'NOT_SOLVENT'],
      [C4, 'DESERTED'],
    ]);
    const deliveryKeys = received.filter((e) => e.type === DeliveryReceived.type).map((e) => (e.data as any).deliveryKey);
    expect(deliveryKeys.filter((k) => k === 'REM-HG-2')).toHaveLength(1);
  });
});
