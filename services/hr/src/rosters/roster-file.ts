import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { controlBytes, readFileHead, readXlsxRows, startsLikeZip, xlsxFileProblem, XlsxLimits, XlsxTooLarge } from '@imb/platform';

/** Roster files: the payroll export of a state, as .xlsx (first sheet) or .csv, read one row at a time. */

export type RosterFormat = 'xlsx' | 'csv';

export interface RosterFileRow {
  /** The row number a spreadsheet shows (1 = first line). */
  row: number;
  cells: unknown[];
}

/** A file that cannot be read as what its name says. */
export class UnreadableRoster extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRoster';
  }
}

export function rosterFormatOf(name: string): RosterFormat | null {
  const lower = name.toLowerCase();
  return lower.endsWith('.xlsx') ? 'xlsx' : lower.endsWith('.csv') ? 'csv' : null;
}

/** Refuses, before a job is queued, a file whose content is not what its extension says. */
export async function checkRosterFile(path: string, format: RosterFormat): Promise<void> {
  const bytes = await readFileHead(path);
  if (!bytes.length) throw new UnreadableRoster('The file is empty');
  const zip = startsLikeZip(bytes);
  if (format === 'xlsx') {
    const problem = await xlsxFileProblem(path);
    if (problem) throw new UnreadableRoster(problem);
  }
  if (format === 'csv') {
    if (zip) throw new UnreadableRoster('This .csv file is a zip archive (an .xlsx workbook renamed?)');
    // A binary or UTF-16 file is full of NUL bytes; a stray one in a cell is that row's error (parseRosterRow).
    if (controlBytes(bytes).nul > Math.max(8, bytes.length / 100)) throw new UnreadableRoster('The .csv file is not text (it is full of NUL bytes: a binary or UTF-16 file?)');
  }
}

/** Newline count of a CSV, for progress; null for a workbook. */
export async function estimateRosterRows(path: string, format: RosterFormat): Promise<number | null> {
  if (format !== 'csv') return null;
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
  }
  return lines;
}

function delimiterOf(line: string): string {
  const candidates = [',', ';', '|', '\t'];
  return candidates.reduce((best, c) => (line.split(c).length > line.split(best).length ? c : best), ',');
}

/** Every row of the roster, streaming; a workbook under `limits`, one that crosses them failing with the platform's XlsxTooLarge. */
export function readRosterRows(path: string, format: RosterFormat, limits: XlsxLimits): AsyncGenerator<RosterFileRow> {
  return format === 'csv' ? readCsv(path) : readXlsx(path, limits);
}

/** Largest CSV record accepted: a roster row is a few hundred bytes. */
export const MAX_RECORD_BYTES = 1 << 20;

async function* readCsv(path: string): AsyncGenerator<RosterFileRow> {
  const start = await readFileHead(path);
  let encoding: BufferEncoding = 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
  } catch {
    // State exports that are not UTF-8 are Windows-1252; latin1 reads Spanish letters the same.
    encoding = 'latin1';
  }
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = source.pipe(
    parse({
      delimiter: delimiterOf(start.toString(encoding).split(/\r?\n/, 1)[0] ?? ''),
      encoding,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      // A record that never ends (an unclosed quote) must not grow without bound.
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield { row: ++row, cells: record };
  } catch (err) {
    throw new UnreadableRoster(`The CSV file could not be read after row ${row}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** The first sheet, through the platform's streaming reader. */
async function* readXlsx(path: string, limits: XlsxLimits): AsyncGenerator<RosterFileRow> {
  try {
    for await (const { row, cells } of readXlsxRows(path, { limits })) yield { row, cells };
  } catch (err) {
    if (err instanceof XlsxTooLarge) throw err;
    throw new UnreadableRoster(err instanceof Error ? err.message : String(err));
  }
}
