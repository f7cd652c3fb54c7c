import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import {
  controlBytes,
  DEFAULT_XLSX_LIMITS,
  readFileHead,
  readXlsxRows,
  startsLikeZip,
  UnreadableWorkbook,
  XlsxLimits,
  XlsxTooLarge,
  ZipEntries,
} from '@imb/platform';

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

/** How far into the first worksheet its `<dimension>` is looked for. */
const DIMENSION_WITHIN = 64 * 1024;
const isWorksheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

/**
 * Checks that the file is what its extension says: an .xlsx is a zip holding an Excel workbook
 * with at least one worksheet; a .csv is text. Throws {@link UnreadableCatalogue} otherwise.
 */
export async function checkCatalogueFile(path: string, format: CatalogueFormat, size: number): Promise<void> {
  if (size === 0) throw new UnreadableCatalogue('The file is empty');
  const head = await readFileHead(path);
  const isZip = startsLikeZip(head);
  const isOle = head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (format === 'xlsx') {
    if (isOle) throw new UnreadableCatalogue('This is an old Excel 97-2003 (.xls) file: save it as .xlsx or .csv and upload it again');
    if (!isZip) throw new UnreadableCatalogue('The file is not an .xlsx workbook (an .xlsx file is a zip archive, and this one is not)');
    const names = await ZipEntries.open(path, DEFAULT_XLSX_LIMITS, 'XLSX_MAX_INFLATED_BYTES').then(
      (zip) => zip.names,
      (err) => {
        if (err instanceof UnreadableWorkbook) throw new UnreadableCatalogue('The .xlsx file is damaged or incomplete: its zip directory cannot be read');
        throw err;
      },
    );
    if (!names.includes('xl/workbook.xml') || !names.some(isWorksheet)) {
      throw new UnreadableCatalogue('The zip archive is not an Excel workbook: it has no xl/workbook.xml with a worksheet');
    }
    return;
  }
  if (isZip) throw new UnreadableCatalogue('This .csv file is a zip archive (an .xlsx workbook renamed?): upload it with the .xlsx extension');
  if (isOle) throw new UnreadableCatalogue('This .csv file is an old Excel (.xls) workbook: export it as CSV and upload it again');
  const { nul, other } = controlBytes(head);
  if (nul) throw new UnreadableCatalogue('The .csv file is not text (it contains NUL bytes): export the catalogue as CSV and upload it again');
  if (other > head.length / 100) {
    throw new UnreadableCatalogue('The .csv file is not text (it is full of control characters): export the catalogue as CSV and upload it again');
  }
}

/**
 * How many rows the file has, roughly, for progress: newline count of a CSV; the `<dimension>`
 * an .xlsx declares for its first worksheet. Null when it cannot be told cheaply.
 */
export async function estimateRows(path: string, format: CatalogueFormat): Promise<number | null> {
  return format === 'csv' ? countLines(path) : worksheetDimension(path);
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

/** The last row of the `<dimension ref>` near the start of the first worksheet in the file; null when it cannot be told. */
async function worksheetDimension(path: string): Promise<number | null> {
  try {
    const zip = await ZipEntries.open(path, DEFAULT_XLSX_LIMITS, 'XLSX_MAX_INFLATED_BYTES');
    const sheet = zip.names.find(isWorksheet);
    if (!sheet) return null;
    let text = '';
    // Leaving the loop destroys the stream, which stops the inflating of the rest of the sheet.
    for await (const chunk of zip.stream(sheet) as AsyncIterable<Buffer>) {
      text += chunk.toString('latin1');
      const m = /<dimension[^>]*\sref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(text);
      if (m) return m[1] ? Number(m[1]) : 1;
      if (text.includes('<sheetData') || text.length > DIMENSION_WITHIN) return null;
    }
    return null;
  } catch {
    return null;
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
  const head = await readFileHead(path);
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
