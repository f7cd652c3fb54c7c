import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { RunningService, ServiceStack, waitFor } from '@imb/testing';

/**
 * The dashboard in real headless Chromium (Debian's package, driven by playwright-core), against
 * real gateway, transfer and hr processes on Kafka, PostgreSQL and Redis.
 *
 * Hidalgo operates under IMSS-BIENESTAR since 2023 (the real joining history), so its gates are all
 * closed. To have a gate to close, the federal coordinator first suspends its transfer and
 * restarts it at DIAGNOSIS through the API, and closes three of the four DIAGNOSIS items; the
 * state coordinator of Hidalgo then closes the fourth in the browser with an uploaded document,
 * advances to AGREEMENT, and the national map and table (open in another tab) show it within 1 s.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
const HIDALGO = '13';
const LAST_ITEM = 'equipment-inventory';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

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
    const [transfer, hr] = await Promise.all([stack.start('transfer'), stack.start('hr')]);
    gateway = await stack.start('gateway', { TRANSFER_URL: transfer.url, HR_URL: hr.url });
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
});
