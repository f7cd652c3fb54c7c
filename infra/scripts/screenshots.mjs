#!/usr/bin/env node
// The README's screenshots, taken from a running demo stack (`npm run up`) with Debian's chromium:
//
//   node infra/scripts/screenshots.mjs      writes docs/screenshots/*.jpg
//
// GATEWAY_URL (http://127.0.0.1:3000) and CHROMIUM_PATH (/usr/bin/chromium) point elsewhere.
// The pictures are JPEG at 1280×800 so the README stays light; re-run after changing a screen.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** Each shot: who is logged in, where, what must be on screen before the picture is taken. */
const SHOTS = [
  { name: 'national', identity: 'federal', url: '/#/', ready: '.overview-table tr[data-state="18"]' },
  { name: 'state-nayarit', identity: 'federal', url: '/#/states/18', ready: 'main h2' },
  { name: 'jobs', identity: 'federal', url: '/#/jobs', ready: 'main table' },
  { name: 'app-audit', identity: 'auditor', url: '/app/audit?service=transfer', ready: 'main table tbody tr' },
];

await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
    // Logged in through the dashboard's picker; the web app reads the same session.
    await page.goto(`${GATEWAY}/`);
    await page.click(`button[data-identity="${shot.identity}"]`, { timeout: 30_000 });
    await page.waitForSelector('#main', { timeout: 30_000 });
    await page.goto(`${GATEWAY}${shot.url}`);
    await page.waitForSelector(shot.ready, { timeout: 30_000 });
    await page.waitForTimeout(1000); // charts and the map finish drawing
    const path = join(OUT, `${shot.name}.jpg`);
    await page.screenshot({ path, type: 'jpeg', quality: 70 });
    console.log(`screenshots: ${path}`);
    await page.close();
  }
} finally {
  await browser.close();
}
