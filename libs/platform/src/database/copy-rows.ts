import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';

/** A value of a row written by {@link copyRows}: null and undefined are SQL NULL. */
export type CopyValue = string | number | boolean | null | undefined;

/** Rows sent to the server per write: a few hundred kB, so memory stays flat whatever the row count. */
const ROWS_PER_WRITE = 500;

const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format. */
export function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (!Number.isFinite(value)) throw new TypeError(`copyRows: ${value} cannot be written`);
  return String(value);
}

/**
 * Rows to copy: an array or generator of rows, or an async iterable of batches of rows (e.g. the
 * rows parsed from each chunk of a file as it streams in).
 */
export type CopySource = Iterable<readonly CopyValue[]> | AsyncIterable<Iterable<readonly CopyValue[]>>;

async function* lines(source: CopySource): AsyncGenerator<string> {
  let batch = '';
  let count = 0;
  const batches = Symbol.asyncIterator in source ? source : [source];
  for await (const rows of batches) {
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < row.length; i++) line += (i ? '\t' : '') + copyText(row[i]);
      batch += line + '\n';
      if (++count === ROWS_PER_WRITE) {
        yield batch;
        batch = '';
        count = 0;
      }
    }
  }
  if (batch) yield batch;
}

/**
 * Streams `rows` into `table` (`columns` in that order) with `COPY … FROM STDIN` on the
 * connection of the caller's transaction, so they commit or roll back with it: the fastest way
 * into PostgreSQL, meant for loading a staging table that one set-based statement then merges.
 * Returns the number of rows written; an async source (batches of rows parsed as a file streams
 * in) is pulled as the connection takes them. `table` and `columns` are SQL identifiers from
 * code, never user input.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: CopySource,
): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error('copyRows must run inside a transaction (dataSource.transaction(manager => ...))');
  }
  const client = (await runner.connect()) as PoolClient;
  const copy = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines(rows), { objectMode: false }), copy);
  return copy.rowCount;
}
