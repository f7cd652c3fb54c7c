import { benchEventPipeline } from './event-pipeline';
import { BenchResult, writeReport } from './report';

// npm run bench: every benchmark against its raw baseline, in one run on this machine.
async function main(): Promise<void> {
  const results: BenchResult[] = [];
  results.push(await benchEventPipeline());
  writeReport(results);
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
