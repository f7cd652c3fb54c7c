import { Client } from 'pg';
import { waitFor } from '@imb/testing';
import { databaseUrl, StackService } from './stack';

/** Row count and content hash of every table of every service database, by `service.schema.table`. */
export type Snapshot = Record<string, { rows: number; hash: string }>;

/** Counts and hashes every table of the given service databases (user schemas only). */
export async function snapshot(services: StackService[]): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const service of services) {
    const db = new Client({ connectionString: databaseUrl(service.database) });
    await db.connect();
    try {
      const { rows: tables } = await db.query<{ schema: string; table: string }>(
        `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          ORDER BY 1, 2`,
      );
      for (const { schema, table } of tables) {
        const name = `"${schema}"."${table}"`;
        const { rows } = await db.query<{ rows: string; hash: string | null }>(
          `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash FROM ${name} t`,
        );
        result[`${service.name}.${schema}.${table}`] = { rows: Number(rows[0].rows), hash: rows[0].hash ?? '' };
      }
    } finally {
      await db.end();
    }
  }
  return result;
}

/** The tables whose row count or content differ between two snapshots. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((n) => before[n]?.rows !== after[n]?.rows || before[n]?.hash !== after[n]?.hash)
    .map((n) => `${n}: ${before[n]?.rows ?? 'absent'} rows → ${after[n]?.rows ?? 'absent'} rows${before[n]?.rows === after[n]?.rows ? ' (content changed)' : ''}`);
}

/**
 * Waits until the databases stop changing on their own (the seeded stages published by transfer's
 * relay and applied by every consumer), so that any later difference is the requests' doing.
 */
export async function quiescentSnapshot(services: StackService[], settleMs = 3000): Promise<Snapshot> {
  const started = Date.now();
  let previous = await snapshot(services);
  const settled = await waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, settleMs));
      const current = await snapshot(services);
      const same = differences(previous, current).length === 0;
      previous = current;
      return same ? current : undefined;
    },
    { timeoutMs: 90000, intervalMs: 0, what: 'the service databases to settle' },
  );
  console.log(`databases settled in ${Date.now() - started} ms`);
  return settled as Snapshot;
}
