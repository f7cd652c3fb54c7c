import { benchAllocation } from './allocation';
import { benchEligibility } from './eligibility';
import { benchConsolidation } from './consolidation';
import { benchDemandImport } from './demand-import';
import { benchEventPipeline } from './event-pipeline';
import { benchOverview } from './overview';
import { BenchResult, writeReport } from './report';
import { benchUnitsImport } from './units-import';
import { benchRosterImport } from './roster-import';

/** Every benchmark by name, in the order `npm run bench` runs them. */
const BENCHMARKS: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  'event-pipeline': benchEventPipeline,
  'units-import': () => benchUnitsImport(),
  allocation: () => benchAllocation(),
  'roster-import': () => benchRosterImport(),
  eligibility: () => benchEligibility(),
  'demand-import': benchDemandImport,
  consolidation: () => benchConsolidation(),
  overview: benchOverview,
};

/**
 * npm run bench [-- name …]: every benchmark (or those named) against its raw baseline, in one
 * run on this machine; the table is printed and written to bench/results/latest.json.
 */
async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length) throw new Error(`no benchmark named ${unknown.join(', ')}; the benchmarks are ${Object.keys(BENCHMARKS).join(', ')}`);
  const results: BenchResult[] = [];
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    if (names.length && !names.includes(name)) continue;
    results.push(...[await bench()].flat());
  }
  writeReport(results);
}

main(process.argv.slice(2))
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
