// node infra/scripts/demo-check.mjs [gateway URL]
//
// What a newcomer should see after `npm run up`: checks through the gateway, as a user would,
// that every seed's data is there, then opens the dashboard in headless Chromium, logs in as
// the federal coordinator and waits for the national map. Prints one line per check; exits 1 on
// the first that fails, saying what was expected and what came back. Run by infra/scripts/newcomer.sh
// (CI's newcomer step); needs the dev issuer (the demo's default).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const GATEWAY = (process.argv[2] ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long read models fed by events may take to catch up after the seeds finish. */
const SETTLE_MS = 60_000;
const ARTIFACTS = join(import.meta.dirname, '../../.run/newcomer');

/** The demo states (transfer's generated units) and the published hiring figures the demo shows. */
const DEMO_STATES = ['03', '06', '12', '13', '18', '29', '31'];
const PUBLISHED_HIRING = {
  18: [95, 92, 84],
  29: [90, 100, 90],
  '06': [85, 92, 80],
  '03': [95, 96, 81],
};
const PUBLISHED_FUNDS = { 18: { disbursed: 126_000_000, committees: 280 }, '06': { disbursed: 60_000_000, committees: 118 } };
const EXERCISE = '2027-2028';

const ok = (message) => console.log(`    ok  ${message}`);
class CheckFailed extends Error {}
const fail = (message) => {
  throw new CheckFailed(message);
};

async function request(method, path, token, body) {
  const res = await fetch(`${GATEWAY}/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status >= 400) fail(`${method} /api${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Retries `check` (which throws CheckFailed while the data is not there yet) until SETTLE_MS. */
async function eventually(check) {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof CheckFailed) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main() {
  const { accessToken: token } = await request('POST', '/auth/dev-token', undefined, { sub: 'newcomer.check', roles: ['federal-coordinator'], states: [] });
  const get = (path) => request('GET', path, token);

  const transfers = await get('/transfers');
  if (transfers.length !== 32) fail(`GET /api/transfers: expected the 32 states, got ${transfers.length}`);
  ok(`transfer: the 32 states (${transfers.filter((t) => t.stage === 'OPERATION').length} in OPERATION)`);

  for (const state of DEMO_STATES) {
    const units = await get(`/transfers/${state}/units?pageSize=1`);
    if (!(units.total > 0)) fail(`GET /api/transfers/${state}/units: expected demo units, got total ${units.total}`);
  }
  ok(`transfer: units in the demo states ${DEMO_STATES.join(', ')}`);

  for (const state of DEMO_STATES) {
    const { categories } = await get(`/hr/states/${state}/progress`);
    const percent = Object.fromEntries(categories.map((c) => [c.category, c.percent]));
    if (!categories.some((c) => c.filled > 0 && c.target > 0)) fail(`GET /api/hr/states/${state}/progress: no posts filled against a target: ${JSON.stringify(categories)}`);
    const published = PUBLISHED_HIRING[state];
    if (published) {
      const shown = [percent.specialist, percent['general-practitioner'], percent.nursing];
      if (shown.join('/') !== published.join('/')) fail(`HR progress of ${state}: expected the published ${published.join(' / ')} %, got ${shown.join(' / ')} %`);
    }
  }
  ok(`hr: hiring progress in the demo states; published figures in ${Object.keys(PUBLISHED_HIRING).join(', ')}`);

  const consolidation = await get(`/procurement/exercises/${EXERCISE}/consolidation?pageSize=1`);
  if (!(consolidation.claves > 0)) fail(`GET /api/procurement/exercises/${EXERCISE}/consolidation: expected claves, got ${JSON.stringify(consolidation).slice(0, 200)}`);
  ok(`procurement: exercise ${EXERCISE} consolidated (${consolidation.claves} claves, MAX ${consolidation.totalMax})`);

  const year = new Date().getUTCFullYear();
  const programmes = await get(`/dignification/programmes?year=${year}`);
  if (!programmes.items?.length) fail(`GET /api/dignification/programmes?year=${year}: expected the demo programme, got none`);
  const programmeId = programmes.items[0].id;
  for (const [state, published] of Object.entries(PUBLISHED_FUNDS)) {
    let paid = 0;
    let committees = 0;
    for (let page = 1; ; page++) {
      const { items, total } = await get(`/dignification/programmes/${programmeId}/allocations/items?stateCode=${state}&page=${page}&pageSize=1000`);
      for (const item of items) if (item.disbursed > 0) (paid += Math.round(item.disbursed * 100)), committees++;
      if (page * 1000 >= total) break;
    }
    if (paid / 100 !== published.disbursed || committees !== published.committees) {
      fail(`dignification in ${state}: expected the published MXN ${published.disbursed} through ${published.committees} committees, got MXN ${paid / 100} through ${committees}`);
    }
  }
  ok(`dignification: programme ${year}; published payments in ${Object.keys(PUBLISHED_FUNDS).join(', ')}`);

  await eventually(async () => {
    const overview = await get('/overview');
    for (const state of DEMO_STATES) {
      const s = overview.states.find((x) => x.stateCode === state);
      if (!(s?.units.total > 0 && s.dignification.disbursed > 0 && s.hiring.nursing !== null)) {
        fail(`GET /api/overview: the national view does not show ${state}'s units, hiring and funds yet: ${JSON.stringify(s)}`);
      }
    }
  });
  ok('gateway: the national view shows units, hiring and funds of every demo state');

  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'es-MX' });
    await page.goto(`${GATEWAY}/`);
    await page.click('button[data-identity="federal"]', { timeout: 30_000 });
    await page.waitForSelector('.mexico-map path[data-state="18"][data-stage="OPERATION"]', { timeout: 30_000 });
    await page.waitForSelector('.overview-table tr[data-state="18"]', { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    ok(`dashboard: logged in as the federal coordinator, national map and table shown (screenshot .run/newcomer/dashboard.png)`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => console.log('demo-check: the demo is complete'),
  (error) => {
    console.error(`demo-check: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
