import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { readXlsxRows, XlsxLimits, XlsxTooLarge } from '@imb/platform';

/**
 * Catalogue files on disk: what kind of file an upload really is (checked before any job is
 * queued), and a streaming reader of its rows for the import job. Rows are read a batch at a time
 * (`readXlsxRows` of @imb/platform, csv-parse's stream), so memory stays flat as files grow.
 */

export type CatalogueFormat = 'xlsx' | 'csv';

/** One row of the first sheet (xlsx) or one CSV record; `row` is the number a spreadsheet shows. */
export interface SheetRow {
  sheet: number;
  row: number;
  cells: unknown[];
}

/** An upload that is not what its name says, with the reason to show the user. */
export class UnreadableCatalogue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableCatalogue';
  }
}

const SNIFF_BYTES = 64 * 1024;
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

/** Reads up to `length` bytes at `position`. */
async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** The entries of a zip archive, from its central directory; null when the file is not a readable zip. */
async function zipEntries(path: string, size: number): Promise<ZipEntry[] | null> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(path, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = tail.readUInt16LE(end + 10);
  const dirSize = tail.readUInt32LE(end + 12);
  const dirOffset = tail.readUInt32LE(end + 16);
  if (dirOffset + dirSize > size) return null;
  const dir = await readAt(path, dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count && at + 46 <= dir.length; i++) {
    if (dir.readUInt32LE(at) !== ZIP_CENTRAL) return null;
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    entries.push({
      name: dir.toString('utf8', at + 46, at + 46 + nameLength),
      method: dir.readUInt16LE(at + 10),
      compressedSize: dir.readUInt32LE(at + 20),
      localHeaderOffset: dir.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const isWorksheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

/**
 * Checks that the file is what its extension says: an .xlsx is a zip holding an Excel workbook
 * with at least one worksheet; a .csv is text. Throws {@link UnreadableCatalogue} otherwise.
 */
export async function checkCatalogueFile(path: string, format: CatalogueFormat, size: number): Promise<void> {
  if (size === 0) throw new UnreadableCatalogue('The file is empty');
  const head = await readAt(path, 0, SNIFF_BYTES);
  const isZip = head.length >= 4 && head.readUInt32LE(0) === ZIP_LOCAL;
  const isOle = head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (format === 'xlsx') {
    if (isOle) throw new UnreadableCatalogue('This is an old Excel 97-2003 (.xls) file: save it as .xlsx or .csv and upload it again');
    if (!isZip) throw new UnreadableCatalogue('The file is not an .xlsx workbook (an .xlsx file is a zip archive, and this one is not)');
    const entries = await zipEntries(path, size);
    if (!entries) throw new UnreadableCatalogue('The .xlsx file is damaged or incomplete: its zip directory cannot be read');
    if (!entries.some((e) => e.name === 'xl/workbook.xml') || !entries.some((e) => isWorksheet(e.name))) {
      throw new UnreadableCatalogue('The zip archive is not an Excel workbook: it has no xl/workbook.xml with a worksheet');
    }
    return;
  }
  if (isZip) throw new UnreadableCatalogue('This .csv file is a zip archive (an .xlsx workbook renamed?): upload it with the .xlsx extension');
  if (isOle) throw new UnreadableCatalogue('This .csv file is an old Excel (.xls) workbook: export it as CSV and upload it again');
  let control = 0;
  for (const byte of head) {
    if (byte === 0) throw new UnreadableCatalogue('The .csv file is not text (it contains NUL bytes): export the catalogue as CSV and upload it again');
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > head.length / 100) {
    throw new UnreadableCatalogue('The .csv file is not text (it is full of control characters): export the catalogue as CSV and upload it again');
  }
}

/**
 * How many rows the file has, roughly, for progress: newline count of a CSV; the `<dimension>`
 * an .xlsx declares for its first worksheet. Null when it cannot be told cheaply.
 */
export async function estimateRows(path: string, format: CatalogueFormat, size: number): Promise<number | null> {
  return format === 'csv' ? countLines(path) : worksheetDimension(path, size);
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
    last = chunk[chunk.length - 1];
  }
  return last === 0x0a ? lines : lines + 1;
}

async function worksheetDimension(path: string, size: number): Promise<number | null> {
  const entry = (await zipEntries(path, size))?.filter((e) => isWorksheet(e.name)).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)[0];
  if (!entry || (entry.method !== 8 && entry.method !== 0)) return null;
  const local = await readAt(path, entry.localHeaderOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== ZIP_LOCAL) return null;
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = createReadStream(path, { start, end: start + Math.max(0, entry.compressedSize - 1) });
  const source = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  let text = '';
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      text += chunk.toString('latin1');
      const m = /<dimension[^>]*\sref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(text);
      if (m) return m[1] ? Number(m[1]) : 1;
      if (text.includes('<sheetData') || text.length > SNIFF_BYTES) return null;
    }
    return null;
  } catch {
    return null;
  } finally {
    raw.destroy();
    source.destroy();
  }
}

/** The delimiter of a CSV header line: the most frequent of comma, semicolon, pipe and tab. */
export function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '|', '\t']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** True when the bytes decode as UTF-8 (a sequence cut at the end of the sample is not held against them). */
export function looksUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads every row of the catalogue, streaming, in batches of rows (one await per batch, not per
 * row, keeps a 64,000-row file cheap); an error names what could not be read and where. A
 * workbook is read under `limits`; one that crosses them fails with the platform's XlsxTooLarge.
 */
export function readCatalogueRows(path: string, format: CatalogueFormat, limits: XlsxLimits): AsyncGenerator<SheetRow[]> {
  return format === 'csv' ? readCsv(path) : readXlsx(path, limits);
}

/** Rows per batch. */
const BATCH_ROWS = 1000;

async function* readCsv(path: string): AsyncGenerator<SheetRow[]> {
  const head = await readAt(path, 0, SNIFF_BYTES);
  // Government CSV exports are UTF-8 or Windows-1252; latin1 decodes the letters of Spanish.
  const encoding: BufferEncoding = looksUtf8(head) ? 'utf8' : 'latin1';
  const firstLine = head.toString(encoding).split(/\r?\n/, 1)[0] ?? '';
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = source.pipe(
    parse({
      delimiter: detectDelimiter(firstLine),
      encoding,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      max_record_size: 1 << 20,
    }),
  );
  let row = 0;
  try {
    let batch: SheetRow[] = [];
    for await (const cells of parser as AsyncIterable<string[]>) {
      batch.push({ sheet: 1, row: ++row, cells });
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } catch (err) {
    throw new UnreadableCatalogue(`The CSV file could not be read after row ${row}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** Every sheet of the workbook (the header may be on any), read with the platform's streaming reader. */
async function* readXlsx(path: string, limits: XlsxLimits): AsyncGenerator<SheetRow[]> {
  let batch: SheetRow[] = [];
  try {
    for await (const r of readXlsxRows(path, { allSheets: true, limits })) {
      batch.push(r);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } catch (err) {
    if (err instanceof XlsxTooLarge) throw err;
    throw new UnreadableCatalogue(err instanceof Error ? err.message : String(err));
  }
}
