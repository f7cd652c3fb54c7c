import { DEMO_ROSTER_STATES, demoStaffing } from './seed/demo-roster';
import { DevApiClient, seedProfile } from '@imb/auth';

/**
 * node dist/seed.js --profile=demo|reference — run by `npm run up` after the services are healthy.
 *
 * Reference data (the post-code catalogue) comes with the migrations; the demo profile imports a
 * generated roster for each state that has demo units (people with valid CURPs in the units
 * transfer inventoried) and sets hiring targets so that the state's progress reads exactly its
 * percentages (the published ones where they exist), through the public API. Idempotent: a
 * state whose posts are loaded and whose targets are set is left alone.
 */

interface Progress {
  categories: { category: string; target: number; filled: number; percent: number | null }[];
}

const log = (message: string) => console.log(`hr seed: ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The current keys of the state's units transfer did not exclude (transfer's API, through the gateway). */
async function unitKeys(api: DevApiClient, stateCode: string): Promise<string[]> {
  const transfer = api.viaGateway();
  const keys: string[] = [];
  for (let page = 1; ; page++) {
    const result = await transfer.get<{ items: { clues: string; status: string }[]; total: number }>(`/transfers/${stateCode}/units?page=${page}&pageSize=1000`);
    keys.push(...result.items.filter((u) => u.status !== 'EXCLUDED').map((u) => u.clues));
    if (page * 1000 >= result.total) return keys;
  }
}

async function importRoster(api: DevApiClient, stateCode: string, csv: string, dryRun: boolean) {
  const form = new FormData();
  form.set('file', new Blob([csv], { type: 'text/csv' }), `plantilla-demo-${stateCode}.csv`);
  const { body } = await api.call<{ jobId: string }>('POST', `/hr/rosters/imports?stateCode=${stateCode}&dryRun=${dryRun}`, form);
  return api.waitForJob(body.jobId);
}

async function seedState(api: DevApiClient, stateCode: string, hired: (typeof DEMO_ROSTER_STATES)[number]['hired']): Promise<void> {
  let progress = await api.get<Progress>(`/hr/states/${stateCode}/progress`);
  const loaded = progress.categories.some((c) => c.filled > 0);
  if (loaded && progress.categories.some((c) => c.percent !== null && c.target > 0)) return;
  const keys = await unitKeys(api, stateCode);
  if (!keys.length) return log(`${stateCode}: no units inventoried by transfer; no roster`);
  const staffing = demoStaffing(stateCode, keys, hired);
  if (!loaded) {
    // HR learns the units from transfer's events; a dry run shows when it knows them all.
    for (let attempt = 1; ; attempt++) {
      const dry = await importRoster(api, stateCode, staffing.csv, true);
      if (dry.errorCount === 0) break;
      if (attempt === 30) throw new Error(`the roster of ${stateCode} still has ${dry.errorCount} row errors after waiting for HR to learn the units`);
      await sleep(2000);
    }
    const job = await importRoster(api, stateCode, staffing.csv, false);
    log(`${stateCode}: roster of ${staffing.csv.split('\n').length - 2} posts imported (${job.errorCount} row errors)`);
  }
  await api.call('PUT', `/hr/states/${stateCode}/targets`, { targets: staffing.targets });
  progress = await api.get<Progress>(`/hr/states/${stateCode}/progress`);
  log(`${stateCode}: hiring targets set (${progress.categories.map((c) => `${c.category} ${c.filled}/${c.target} = ${c.percent} %`).join(', ')})`);
}

async function main(): Promise<void> {
  const profile = seedProfile();
  const api = await DevApiClient.create('system:seed', ['federal-coordinator']);
  const codes = await api.get<unknown[]>('/hr/post-codes');
  log(`reference data: ${codes.length} post codes`);
  if (profile === 'reference') return;
  for (const { stateCode, hired } of DEMO_ROSTER_STATES) await seedState(api, stateCode, hired);
  log('demo rosters and targets ready');
}

main().catch((error: unknown) => {
  console.error(`hr seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
