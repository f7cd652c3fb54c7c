import { benchAllocation } from './allocation';
import { benchEligibility } from './eligibility';
import { benchConsolidation } from './consolidation';
import { benchDemandImport } from './demand-import';
import { benchEventPipeline } from './event-pipeline';
import { benchOverview } from './overview';
import { BenchResult, writeReport } from './report';
import { benchUnitsImport } from './units-import';
import { benchRosterImport } from './roster-import';

// npm run bench: every benchmark against its raw baseline, in one run on this machine.
async function main(): Promise<void> {
  const results: BenchResult[] = [];
  results.push(await benchEventPipeline());
  results.push(await benchUnitsImport());
  results.push(await benchAllocation());
  results.push(await benchRosterImport());
  results.push(await benchEligibility());
  results.push(await benchDemandImport());
  results.push(await benchConsolidation());
  results.push(...(await benchOverview()));
  writeReport(results);
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
