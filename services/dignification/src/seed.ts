import { DevApiClient, seedProfile } from '@imb/auth';
import { stateByAbbr } from '@imb/contracts';
import { AllocationItem, generatedPlan, PUBLISHED_PAYMENTS, publishedPlan, TranchePlan } from './seed/demo-payments';

/**
 * node dist/seed.js --profile=demo|reference — run by `npm run up` after the services are healthy.
 *
 * This service has no reference data of its own (units and states arrive as transfer's events).
 * The demo profile creates this year's "La Clínica es Nuestra" programme with an envelope
 * MXN 10 M short of what every eligible unit would receive (so the priority rule leaves the last
 * ones out: the largest urban units, Yucatán's first), allocates it, and pays the first tranches to part of the
 * committees (the published amounts and committee counts where they exist, seed/demo-payments.ts),
 * through the public API. Idempotent: the programme is found again by its year, the
 * allocation runs once, and each payment carries an idempotency key.
 */

/** How far the envelope falls short of funding every eligible unit. */
const SHORTFALL_MXN = 10_000_000;
/** Payments sent at once (each allocation is paid by one request at a time). */
const PAYMENTS_IN_FLIGHT = 8;

interface Item extends AllocationItem {
  disbursed: number;
}

const log = (message: string) => console.log(`dignification seed: ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The programme of `year`: found again by year, or created with an envelope short of the eligible units' total. */
async function programmeOf(api: DevApiClient, year: number): Promise<string> {
  const listed = async () => (await api.get<{ items: { id: string }[] }>(`/dignification/programmes?year=${year}`)).items[0]?.id;
  const existing = await listed();
  if (existing) return existing;
  await settledEligibleUnits(api);
  let demand = 0;
  for (let page = 1; ; page++) {
    const { items, total } = await api.get<{ items: { amount: number | null }[]; total: number }>(`/dignification/units?eligible=true&page=${page}&pageSize=1000`);
    demand += items.reduce((sum, u) => sum + (u.amount ?? 0), 0);
    if (page * 1000 >= total) break;
  }
  const envelope = demand - SHORTFALL_MXN;
  const created = await api.call<{ id: string }>('POST', '/dignification/programmes', { year, envelope }, [409]);
  if (created.status === 409) {
    const id = await listed();
    if (!id) throw new Error(`programme ${year} exists but is not listed`);
    return id;
  }
  log(`programme ${year} created (envelope MXN ${envelope.toLocaleString('en')}, MXN ${SHORTFALL_MXN.toLocaleString('en')} short of the eligible units' MXN ${demand.toLocaleString('en')})`);
  return created.body.id;
}

/** Waits until the eligible units this service learned from transfer stop changing. */
async function settledEligibleUnits(api: DevApiClient): Promise<number> {
  let last = -1;
  for (let attempt = 0; attempt < 60; attempt++) {
    const { total } = await api.get<{ total: number }>('/dignification/units?eligible=true&pageSize=1');
    if (total > 0 && total === last) return total;
    last = total;
    await sleep(2000);
  }
  throw new Error('the eligible units did not settle within 2 minutes (are transfer’s unit events arriving?)');
}

/** The INEGI code of an allocation's state, from the two letters its CLUES starts with. */
function stateCodeOf(item: AllocationItem): string {
  const state = stateByAbbr(item.clues.slice(0, 2));
  if (!state) throw new Error(`allocation ${item.id}: CLUES ${item.clues} names no state`);
  return state.code;
}

async function allItems(api: DevApiClient, programmeId: string): Promise<Item[]> {
  const items: Item[] = [];
  for (let page = 1; ; page++) {
    const result = await api.get<{ items: Item[]; total: number }>(`/dignification/programmes/${programmeId}/allocations/items?page=${page}&pageSize=1000`);
    items.push(...result.items);
    if (page * 1000 >= result.total) return items;
  }
}

async function main(): Promise<void> {
  const profile = seedProfile();
  if (profile === 'reference') return log('no reference data of its own (units and states come from transfer)');
  const api = await DevApiClient.create('system:seed', ['federal-coordinator']);
  const year = new Date().getUTCFullYear();
  const id = await programmeOf(api, year);
  const programme = await api.get<{ computedAt: string | null }>(`/dignification/programmes/${id}`);
  if (!programme.computedAt) {
    const units = await settledEligibleUnits(api);
    const { body } = await api.call<{ jobId: string }>('POST', `/dignification/programmes/${id}/allocate`);
    await api.waitForJob(body.jobId);
    log(`programme ${year} allocated among ${units} eligible units`);
  }
  const items = await allItems(api, id);
  const plan: TranchePlan = generatedPlan(items.filter((i) => !PUBLISHED_PAYMENTS[stateCodeOf(i)]));
  for (const [stateCode, published] of Object.entries(PUBLISHED_PAYMENTS)) {
    const stateItems = items.filter((i) => stateCodeOf(i) === stateCode);
    for (const [itemId, tranches] of publishedPlan(stateItems, published.amount, published.committees)) plan.set(itemId, tranches);
  }
  let payments = 0;
  const pay = async (item: Item) => {
    let cumulative = 0;
    for (const [i, amount] of (plan.get(item.id) ?? []).entries()) {
      cumulative += amount;
      if (item.disbursed >= cumulative) continue;
      const paid = await api.call('POST', `/dignification/allocations/${item.id}/disbursements`, {
        amount,
        reference: `SPEI-${year}-${item.clues}-${i + 1}`,
        idempotencyKey: `seed-${year}-${item.clues}-${i + 1}`,
      });
      if (paid.status === 201) payments++;
    }
  };
  for (let i = 0; i < items.length; i += PAYMENTS_IN_FLIGHT) await Promise.all(items.slice(i, i + PAYMENTS_IN_FLIGHT).map(pay));
  log(`${payments} new disbursements; demo programme ready`);
}

main().catch((error: unknown) => {
  console.error(`dignification seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
