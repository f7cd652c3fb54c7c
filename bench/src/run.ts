import { benchAllocation } from './allocation';
import { benchEventPipeline } from './event-pipeline';
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
  writeReport(results);
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
