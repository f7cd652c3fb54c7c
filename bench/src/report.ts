import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** One benchmark: its figure, the raw baseline measured in the same run, and their ratio. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: string;
  met: boolean;
  notes?: string;
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Prints the table and writes bench/results/latest.json (CONTRACT.md format). */
export function writeReport(results: BenchResult[]): void {
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ machine: machine(), at: new Date().toISOString(), results }, null, 2));
  console.table(
    results.map((r) => ({
      benchmark: r.name,
      value: `${r.value.toFixed(0)} ${r.unit}`,
      baseline: `${r.baseline.toFixed(0)} ${r.unit}`,
      ratio: r.ratio.toFixed(2),
      target: r.target,
      met: r.met ? 'yes' : 'NO',
    })),
  );
  console.log(`written ${join(dir, 'latest.json')}`);
}
