import { UnitStatus } from '@imb/contracts';
import { catalogueCsv, DEMO_UNIT_STATES, goesBeyond, imbClues, targetStatus, unitNumber } from './seed/demo-units';
import { DevApiClient, seedProfile } from '@imb/auth';

/**
 * node dist/seed.js --profile=demo|reference — run by `npm run up` after the services are healthy.
 *
 * Reference data (the 32 states with their real joining history and stages, the stage
 * definitions) is written by the service itself at start-up and by its migrations; this checks
 * it is there. The demo profile adds generated units with valid CLUES for a few states and moves
 * them along their handover, through the public API (import and bulk-status jobs), so every
 * event reaches the other services. Idempotent: it only does what is not done yet.
 */

interface UnitRow {
  clues: string;
  status: UnitStatus;
}

const log = (message: string) => console.log(`transfer seed: ${message}`);

async function allUnits(api: DevApiClient, stateCode: string): Promise<UnitRow[]> {
  const units: UnitRow[] = [];
  for (let page = 1; ; page++) {
    const result = await api.get<{ items: UnitRow[]; total: number }>(`/transfers/${stateCode}/units?page=${page}&pageSize=1000`);
    units.push(...result.items);
    if (units.length >= result.total || !result.items.length) return units;
  }
}

/** One move of the handover: which units take it and the details each one needs. */
interface Move {
  from: UnitStatus;
  to: UnitStatus;
  takes: (target: UnitStatus) => boolean;
  details: (stateCode: string, n: number) => Record<string, unknown>;
  reason?: string;
}

function moves(actaDate: string): Move[] {
  return [
    { from: 'INVENTORIED', to: 'EXCLUDED', takes: (t) => t === 'EXCLUDED', details: () => ({}), reason: 'Unidad fuera del anexo de unidades del convenio' },
    { from: 'INVENTORIED', to: 'NEEDS_REGULARIZATION', takes: (t) => t === 'NEEDS_REGULARIZATION', details: () => ({ ownership: 'posesion-ejido' }) },
    { from: 'INVENTORIED', to: 'INCLUDED', takes: (t) => goesBeyond(t, 'INVENTORIED'), details: () => ({}) },
    {
      from: 'INCLUDED',
      to: 'HANDED_OVER',
      takes: (t) => goesBeyond(t, 'INCLUDED'),
      details: (stateCode, n) => ({ acta: { number: `ER-${stateCode}-${actaDate.slice(0, 4)}-${String(n).padStart(4, '0')}`, date: actaDate } }),
    },
    { from: 'HANDED_OVER', to: 'RE_REGISTERED', takes: (t) => goesBeyond(t, 'HANDED_OVER'), details: (stateCode, n) => ({ newClues: imbClues(stateCode, n) }) },
    { from: 'RE_REGISTERED', to: 'OPERATING', takes: (t) => goesBeyond(t, 'RE_REGISTERED'), details: () => ({}) },
  ];
}

async function seedUnits(api: DevApiClient, stateCode: string, stage: string, count: number, actaDate: string): Promise<void> {
  let units = await allUnits(api, stateCode);
  if (units.length < count) {
    const form = new FormData();
    form.set('file', new Blob([catalogueCsv(stateCode, count)], { type: 'text/csv' }), `catalogo-clues-demo-${stateCode}.csv`);
    const { body } = await api.call<{ jobId: string }>('POST', `/transfers/${stateCode}/units/imports?dryRun=false`, form);
    const { result } = await api.waitForJob(body.jobId);
    const { inserted, updated, unchanged } = result as { inserted: number; updated: number; unchanged: number };
    log(`${stateCode}: generated catalogue imported (${inserted} new, ${updated} updated, ${unchanged} unchanged)`);
    units = await allUnits(api, stateCode);
  }
  for (const move of moves(actaDate)) {
    const due = units.filter((u) => u.status === move.from && move.takes(targetStatus(stage, unitNumber(u.clues))));
    if (!due.length) continue;
    const { body } = await api.call<{ jobId: string }>('POST', `/transfers/${stateCode}/units/bulk-status`, {
      toStatus: move.to,
      ...(move.reason ? { reason: move.reason } : {}),
      units: due.map((u) => ({ clues: u.clues, ...move.details(stateCode, unitNumber(u.clues)) })),
    });
    const job = await api.waitForJob(body.jobId);
    log(`${stateCode}: ${due.length} units ${move.from} → ${move.to}${job.errorCount ? ` (${job.errorCount} refused)` : ''}`);
    units = await allUnits(api, stateCode);
  }
}

async function main(): Promise<void> {
  const profile = seedProfile();
  const api = await DevApiClient.create('system:seed', ['federal-coordinator']);
  const transfers = await api.get<{ stateCode: string; stage: string }[]>('/transfers');
  if (transfers.length !== 32) throw new Error(`expected the 32 states from the joining history, found ${transfers.length}`);
  const byStage = new Map<string, number>();
  for (const t of transfers) byStage.set(t.stage, (byStage.get(t.stage) ?? 0) + 1);
  log(`reference data: 32 states (${[...byStage].map(([stage, n]) => `${n} ${stage}`).join(', ')})`);
  if (profile === 'reference') return;

  for (const { stateCode, units, actaDate } of DEMO_UNIT_STATES) {
    const stage = transfers.find((t) => t.stateCode === stateCode)!.stage;
    await seedUnits(api, stateCode, stage, units, actaDate);
  }
  log(`demo units ready in ${DEMO_UNIT_STATES.length} states`);
}

main().catch((error: unknown) => {
  console.error(`transfer seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
