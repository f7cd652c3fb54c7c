import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { RunningService, ServiceStack, waitFor } from '@imb/testing';

/**
 * The web app (services/gateway/app, served by the gateway at /app/) in real headless Chromium
 * (Debian's package, driven by playwright-core), against real gateway, transfer, hr, procurement
 * and dignification processes on Kafka, PostgreSQL and Redis, under the gateway's own CSP.
 *
 * Also checks that the gateway's merged OpenAPI document is the one committed for the app's typed
 * client (services/gateway/app/openapi/openapi.json): a route or schema changed without
 * `npm run openapi` fails here.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
const COMMITTED_OPENAPI = join(__dirname, '..', 'services', 'gateway', 'app', 'openapi', 'openapi.json');
const AUDITOR = 'aurora.auditoria';
const FEDERAL = 'fernanda.federal';
/** Rows of the units import the jobs centre follows; its progress is written every chunk. */
const IMPORT_ROWS = 40000;
const IMPORT_CHUNK_ROWS = 500;
const PAGE_SIZE = 25;

/** JSON pointers where `a` and `b` differ (the first `limit`), to say what changed. */
function differences(a: unknown, b: unknown, path = '', found: string[] = [], limit = 10): string[] {
  if (found.length >= limit || isDeepStrictEqual(a, b)) return found;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      differences(
        (a as any)[key],
        (b as any)[key],
        `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        found,
        limit,
      );
    }
  } else {
    found.push(path || '/');
  }
  return found;
}

/** A `datetime-local` value (this machine's local time, which Chromium shares). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe('web app (headless Chromium)', () => {
  const stack = new ServiceStack('e2e_webapp');
  const startedAt = new Date();
  let gateway: RunningService;
  let browser: Browser;
  let axeSource: string;
  const contexts: BrowserContext[] = [];

  async function devToken(sub: string, roles: string[], states: string[] = []): Promise<string> {
    const res = await fetch(`${gateway.url}/api/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, roles, states }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function newPage(width = 1366, height = 768): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'es-MX' });
    contexts.push(context);
    return context.newPage();
  }

  /** axe-core's serious and critical violations on the page as it is now. */
  async function seriousViolations(page: Page) {
    // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const { violations } = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')),
      }));
    });
    return (violations as { impact: string }[]).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `web-app-${name}.png`), fullPage: true });
  const pageOf = (page: Page) => page.getByTestId('page-of').textContent();
  const firstRow = (page: Page) =>
    page
      .locator('[data-testid="audit-table"] tbody tr')
      .first()
      .evaluate((tr: HTMLElement) => `${tr.dataset.action} ${tr.dataset.entityId}`);

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    const [transfer, hr, procurement, dignification] = await Promise.all(
      ['transfer', 'hr', 'procurement', 'dignification'].map((name) =>
        // Small import chunks: a units import shows its progress many times on its way.
        stack.start(name, name === 'transfer' ? { UNITS_IMPORT_CHUNK_ROWS: String(IMPORT_CHUNK_ROWS) } : {}),
      ),
    );
    gateway = await stack.start('gateway', {
      TRANSFER_URL: transfer.url,
      HR_URL: hr.url,
      PROCUREMENT_URL: procurement.url,
      DIGNIFICATION_URL: dignification.url,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack.stop();
  });

  it("serves the OpenAPI document the app's typed client was generated from", async () => {
    const live = (await (await fetch(`${gateway.url}/api/docs-json`)).json()) as Record<string, unknown>;
    expect(live['x-missing-services']).toEqual([]);
    const committed = JSON.parse(await readFile(COMMITTED_OPENAPI, 'utf8')) as unknown;
    const changed = differences(committed, live);
    if (changed.length) {
      throw new Error(
        `The gateway's merged OpenAPI document differs from services/gateway/app/openapi/openapi.json at ${changed.join(', ')}. ` +
          'Refresh it and the web app’s client types against a running stack (`npm run up`, then `npm run openapi`) and commit openapi.json.',
      );
    }
  });

  it('serves the app at /app/ (index.html for its pages, hashed assets for good) beside the dashboard at /', async () => {
    const page = await fetch(`${gateway.url}/app/audit?page=2`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${gateway.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    // An old page asking for a chunk of a previous build gets a 404, not index.html.
    expect((await fetch(`${gateway.url}/app/assets/index-0ld8uild.js`)).status).toBe(404);
    const dashboard = await fetch(`${gateway.url}/states/13`, { headers: { accept: 'text/html' } });
    expect(await dashboard.text()).toContain('/assets/app.js');
  });

  it('lets the auditor filter, page, reload and verify in the audit explorer, in Spanish then English, accessibly', async () => {
    // Reference data (the joining history) gives each state a stage-changed and a checklist-started record.
    const auditor = await devToken(AUDITOR, ['auditor']);
    const query = `service=transfer&entity=StateTransfer&from=${encodeURIComponent(new Date(startedAt.getTime() - 3600_000).toISOString())}`;
    let seen = -1;
    const total = await waitFor(
      async () => {
        const res = await fetch(`${gateway.url}/api/audit?${query}&pageSize=1`, {
          headers: { authorization: `Bearer ${auditor}` },
        });
        const { total: now } = (await res.json()) as { total: number };
        const settled = now > 2 * PAGE_SIZE && now === seen ? now : undefined;
        seen = now;
        return settled;
      },
      { timeoutMs: 60000, intervalMs: 1000, what: 'the transfer records of the joining history' },
    );
    const pages = Math.ceil(total / PAGE_SIZE);

    const page = await newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    // No session: the app asks who you are first.
    await page.goto(`${gateway.url}/app/`);
    await page.waitForURL(/\/app\/login$/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '0-login');
    await page.click('button[data-identity="auditor"]');
    await page.waitForURL(/\/app\/?$/);
    await page.waitForSelector(`[data-testid="who"][data-sub="${AUDITOR}"]`);
    expect(await page.getByTestId('who').textContent()).toContain('auditoría');

    // Spanish by default; the filters go into the URL.
    await page.getByRole('link', { name: 'Auditoría', exact: true }).click();
    await page.waitForURL(/\/app\/audit$/);
    await page.getByRole('heading', { name: 'Explorador de auditoría' }).waitFor();
    const filters = page.getByTestId('audit-filters');
    await filters.getByLabel('Servicio').selectOption('transfer');
    await filters.getByLabel('Entidad de datos').fill('StateTransfer');
    await filters.getByLabel('Desde').fill(localInput(new Date(startedAt.getTime() - 3600_000)));
    await filters.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('service') === 'transfer' &&
        url.searchParams.get('entity') === 'StateTransfer' &&
        url.searchParams.has('from'),
    );
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="page-of"]')?.textContent === text,
      `Página 1 de ${pages} · ${total} registros`,
    );
    expect(await page.locator('[data-testid="audit-table"] tbody tr').count()).toBe(PAGE_SIZE);
    expect(await page.locator('[data-testid="audit-table"] tbody tr[data-service="transfer"]').count()).toBe(
      PAGE_SIZE,
    );
    const firstOfPage1 = await firstRow(page);

    // Server-side paging, in the URL; a reload reopens the same view.
    await page.getByRole('button', { name: 'Página siguiente' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="page-of"]')?.textContent === text,
      `Página 2 de ${pages} · ${total} registros`,
    );
    await page.waitForSelector('[data-testid="audit-table"][aria-busy="false"]');
    const firstOfPage2 = await firstRow(page);
    expect(firstOfPage2).not.toBe(firstOfPage1);
    const url = page.url();
    await page.reload();
    await page.waitForSelector('[data-testid="audit-table"] tbody tr');
    expect(page.url()).toBe(url);
    expect(await pageOf(page)).toBe(`Página 2 de ${pages} · ${total} registros`);
    expect(await firstRow(page)).toBe(firstOfPage2);
    expect(await filters.getByLabel('Entidad de datos').inputValue()).toBe('StateTransfer');
    expect(await filters.getByLabel('Servicio').inputValue()).toBe('transfer');

    // The auditor recomputes transfer's chain.
    await page.getByRole('button', { name: 'Verificar la cadena de Transferencia' }).click();
    await page.waitForSelector('[data-verify="transfer"][data-valid="true"]');
    expect(await page.locator('p[data-verify="transfer"]').textContent()).toMatch(
      /^Cadena íntegra: [\d,]+ registros verificados$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '1-audit-es');

    // English: the same view, Mexican number and date conventions kept.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Audit explorer' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await pageOf(page)).toBe(`Page 2 of ${pages} · ${total} records`);
    expect(page.url()).toBe(url);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '2-audit-en');

    // A phone's width (state staff in the field).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '3-audit-390px');
    expect(problems).toEqual([]);
  });

  it('follows a units import live in the jobs centre, pages its row errors and saves them as CSV, accessibly', async () => {
    const federal = await devToken(FEDERAL, ['federal-coordinator']);
    const page = await newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    // How the app follows a job: over fetch with the session's bearer token, never in the URL.
    const streams: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => {
      if (/\/api\/jobs\/[^/]+\/(stream|events)/.test(request.url()))
        streams.push({ url: request.url(), authorization: request.headers()['authorization'] });
    });
    // Every status and percentage the page shows for a job, as the DOM changes.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as any).__jobSeen = seen;
      new MutationObserver(() => {
        const id = (window as any).__jobId as string | undefined;
        const row = id && document.querySelector(`tr[data-job="${id}"]`);
        if (!row) return;
        const now = `${row.getAttribute('data-status')} ${row.querySelector('[data-testid="percent"]')?.textContent ?? ''}`;
        if (seen[seen.length - 1] !== now) seen.push(now);
      }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });

    await page.goto(`${gateway.url}/app/login?next=${encodeURIComponent('/jobs')}`);
    await page.click('button[data-identity="federal"]');
    await page.waitForSelector(`[data-testid="who"][data-sub="${FEDERAL}"]`);
    await page.getByRole('heading', { name: 'Centro de trabajos' }).waitFor();

    // A real units import (dry run) through the gateway; one row's CLUES would be a formula.
    const csv = [
      'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD',
      ...Array.from({ length: IMPORT_ROWS }, (_, i) =>
        i === 1 ? '=1+2,13,"UNIDAD ""MALA"", CON FÓRMULA"' : `HGSSA${String(i + 1).padStart(6, '0')},13,CENTRO DE SALUD ${i + 1}`,
      ),
    ];
    const form = new FormData();
    form.append('file', new Blob([csv.join('\n')]), 'hidalgo.csv');
    const uploaded = await fetch(`${gateway.url}/api/transfers/13/units/imports?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${federal}` },
      body: form,
    });
    expect(uploaded.status).toBe(202);
    const { jobId } = (await uploaded.json()) as { jobId: string };
    await page.evaluate((id) => ((window as any).__jobId = id), jobId);

    // The filters go into the URL: transfer's units imports of Hidalgo.
    const filters = page.getByTestId('jobs-filters');
    await filters.getByLabel('Servicio').selectOption('transfer');
    await filters.getByLabel('Tipo').fill('units.import');
    await filters.getByLabel('Entidad federativa').selectOption('13');
    await filters.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL((url) => url.search === '?service=transfer&kind=units.import&state=13');
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.waitFor();
    await page.waitForSelector(`tr[data-job="${jobId}"][data-status="completed"]`, { timeout: 120000 });
    const seen = (await page.evaluate(() => (window as any).__jobSeen)) as string[];
    // Seen on its way (queued or running, some percentages between 0 and 100) without a reload.
    expect(seen.some((s) => /^(queued|running) /.test(s))).toBe(true);
    expect(seen.filter((s) => /^running ([1-9]\d?)\s?%$/.test(s)).length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toMatch(/^completed 100\s?%$/);
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('imb.session') ?? '{}').token as string);
    expect(streams.length).toBeGreaterThan(0);
    for (const stream of streams) {
      expect(stream.url).toBe(`${gateway.url}/api/jobs/${jobId}/stream`);
      expect(stream.authorization).toBe(`Bearer ${token}`);
    }
    expect(await row.locator('[data-status="completed"]').textContent()).toBe('Terminado');
    expect(await row.locator('td[data-col="errors"]').textContent()).toBe('1');
    expect(await row.locator('[data-testid="done-of"]').textContent()).toBe(
      `${new Intl.NumberFormat('es-MX').format(IMPORT_ROWS)} de ${new Intl.NumberFormat('es-MX').format(IMPORT_ROWS)}`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '5-jobs');

    // A reload reopens the same view, filters in the form.
    const listUrl = page.url();
    await page.reload();
    await row.waitFor();
    expect(page.url()).toBe(listUrl);
    expect(await filters.getByLabel('Servicio').inputValue()).toBe('transfer');
    expect(await filters.getByLabel('Tipo').inputValue()).toBe('units.import');
    expect(await filters.getByLabel('Entidad federativa').inputValue()).toBe('13');
    expect(await page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).toContain(jobId);

    // Its detail: the row error, and all of them saved as CSV whose cells no spreadsheet runs.
    await row.getByRole('link').click();
    await page.waitForURL(`${gateway.url}/app/jobs/${jobId}`);
    await page.waitForSelector('[data-testid="errors-table"] tbody tr');
    expect(await page.getByTestId('error-count').textContent()).toBe('1');
    const message = '"=1+2" is not a CLUES key: expected 11 characters, 2-letter state + 3-letter institution + 6 digits (e.g. HGSSA000016)';
    expect(await page.locator('[data-testid="errors-table"] tbody tr').allTextContents()).toEqual([`3CLUES${message}`]);
    const download = page.waitForEvent('download');
    await page.getByTestId('download-errors').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`${jobId}-errors.csv`);
    expect((await readFile(await saved.path(), 'utf8')).split('\r\n')).toEqual([
      'row,field,message',
      `3,CLUES,"${message.replace(/"/g, '""')}"`,
      '',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '6-job-detail');

    // Back to the list as it was.
    await page.getByRole('link', { name: 'Volver al centro de trabajos' }).click();
    await page.waitForURL(listUrl);
    expect(problems).toEqual([]);
  });

  it('sends a refused token to the login page, and back to the same view after login', async () => {
    const page = await newPage();
    // A token the app reads as unexpired but the gateway refuses (not signed by its issuer).
    const claims = Buffer.from(
      JSON.stringify({
        sub: AUDITOR,
        roles: ['auditor'],
        states: [],
        exp: Math.floor(Date.now() / 1000) + 3600,
      }),
    ).toString('base64url');
    const forged = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${claims}.c2lnbmF0dXJl`;
    await page.addInitScript(
      (session) => {
        if (!sessionStorage.getItem('planted')) {
          localStorage.setItem('imb.session', session);
          sessionStorage.setItem('planted', 'yes');
        }
      },
      JSON.stringify({ token: forged, sub: AUDITOR, roles: ['auditor'], states: [] }),
    );
    await page.goto(`${gateway.url}/app/audit?service=hr&page=2`);
    await page.waitForURL(
      (url) => url.pathname === '/app/login' && url.searchParams.get('next') === '/audit?service=hr&page=2',
    );
    await page.getByTestId('session-ended').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('button[data-identity="auditor"]');
    await page.waitForURL((url) => url.pathname === '/app/audit' && url.search === '?service=hr&page=2');
    await page.getByRole('heading', { name: 'Explorador de auditoría' }).waitFor();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('imb.session') ?? '{}').token)).not.toBe(
      forged,
    );

    // A link with a filter the API refuses: its message at the top, and at the field.
    await page.goto(`${gateway.url}/app/audit?from=ayer`);
    await page.locator('[data-state="error"]').waitFor();
    expect(await page.locator('[data-state="error"]').textContent()).toMatch(
      /from must be a valid ISO 8601 date string/,
    );
    const from = page.getByTestId('audit-filters').getByLabel('Desde');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('audit-filters').textContent()).toMatch(
      /from must be a valid ISO 8601 date string/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '4-audit-refused-filter');
  });
});
