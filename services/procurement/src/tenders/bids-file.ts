import { parse } from 'csv-parse/sync';
import { claveProblem, rfcProblem } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { readXlsxRows, XlsxLimits, XlsxTooLarge } from '@imb/platform';

/**
 * A file of bids (.xlsx or .csv): a header row naming the columns — found within the first 20
 * rows, names compared without accents, case or extra spaces — then one bid per row:
 *
 * | column | also accepted as |
 * | --- | --- |
 * | RFC | RFC DEL PROVEEDOR, SUPPLIER RFC |
 * | CLAVE | |
 * | PRECIO UNITARIO | PRECIO, UNIT PRICE |
 * | CANTIDAD OFERTADA | CANTIDAD, OFFERED QUANTITY |
 *
 * Numbers may carry thousands separators and stray spaces ("1,250.50 "). An empty price or
 * quantity is kept as missing (the bid is found not solvent for missing data); a malformed RFC,
 * clave or number, or a second row for the same supplier and clave, is a row error.
 */

export type BidFileFormat = 'xlsx' | 'csv';

export interface FileRow {
  row: number;
  cells: unknown[];
}

export interface ParsedBid {
  row: number;
  supplierRfc: string;
  clave: string;
  unitPrice: number | null;
  offeredQuantity: number | null;
}

export class BidFileProblem extends Error {}

const HEADER_SEARCH_ROWS = 20;
const COLUMNS = {
  rfc: { label: 'RFC', names: ['RFC', 'RFC DEL PROVEEDOR', 'SUPPLIER RFC'] },
  clave: { label: 'CLAVE', names: ['CLAVE'] },
  price: { label: 'PRECIO UNITARIO', names: ['PRECIO UNITARIO', 'PRECIO', 'UNIT PRICE'] },
  quantity: { label: 'CANTIDAD OFERTADA', names: ['CANTIDAD OFERTADA', 'CANTIDAD', 'OFFERED QUANTITY'] },
} as const;
type Column = keyof typeof COLUMNS;

const normalize = (v: unknown) =>
  cellText(v)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/**
 * Reads every row of the first worksheet (xlsx) or every record (csv); `row` as a spreadsheet
 * numbers it. A workbook is read under `limits`, those of a request, as its rows are all held (in
 * the request that checks it, and again in its job); one that crosses them fails with XlsxTooLarge.
 */
export async function readBidFile(content: Buffer, format: BidFileFormat, limits: XlsxLimits): Promise<FileRow[]> {
  if (format === 'csv') {
    const text = content.toString('utf8').replace(/^\uFEFF/, '');
    const delimiter = (text.split('\n', 1)[0].match(/;/g)?.length ?? 0) > (text.split('\n', 1)[0].match(/,/g)?.length ?? 0) ? ';' : ',';
    try {
      const records: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
      return records.map((cells, i) => ({ row: i + 1, cells }));
    } catch (err) {
      throw new BidFileProblem(`the CSV cannot be read: ${(err as Error).message}`);
    }
  }
  const rows: FileRow[] = [];
  try {
    for await (const { row, cells } of readXlsxRows(content, { limits, inRequest: true })) if (cells.length) rows.push({ row, cells });
  } catch (err) {
    if (err instanceof XlsxTooLarge) throw err;
    throw new BidFileProblem(`the .xlsx workbook cannot be read: ${(err as Error).message}`);
  }
  return rows;
}

/** A whole number or decimal, ignoring thousands separators and spaces; null when empty, NaN when malformed. */
export function parseAmount(v: unknown): number | null {
  if (typeof v === 'number') return v;
  const text = cellText(v).replace(/[\s,]/g, '');
  if (text === '') return null;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
}

export function parseBidRows(rows: readonly FileRow[]): { bids: ParsedBid[]; errors: JobRowError[]; rows: number; badRows: number } {
  let columns: Record<Column, number> | null = null;
  const bids: ParsedBid[] = [];
  const errors: JobRowError[] = [];
  const first = new Map<string, number>();
  let looked = 0;
  let count = 0;
  let badRows = 0;
  for (const r of rows) {
    const blank = r.cells.every((c) => cellText(c).trim() === '');
    if (!columns) {
      if (blank) continue;
      if (++looked > HEADER_SEARCH_ROWS) break;
      const names = r.cells.map(normalize);
      const found = Object.fromEntries(
        (Object.keys(COLUMNS) as Column[]).map((k) => [k, names.findIndex((n) => (COLUMNS[k].names as readonly string[]).includes(n))]),
      ) as Record<Column, number>;
      if (found.rfc >= 0 && found.clave >= 0) {
        const missing = (Object.keys(COLUMNS) as Column[]).filter((k) => found[k] < 0).map((k) => COLUMNS[k].label);
        if (missing.length) throw new BidFileProblem(`MISSING_COLUMNS: the header (row ${r.row}) has no column ${missing.join(', ')}`);
        columns = found;
      }
      continue;
    }
    if (blank) continue;
    count++;
    const rowErrors: JobRowError[] = [];
    const rfc = cellText(r.cells[columns.rfc]).trim().toUpperCase();
    const clave = cellText(r.cells[columns.clave]).trim();
    const rfcIssue = rfc === '' ? 'RFC is empty' : rfcProblem(rfc);
    if (rfcIssue) rowErrors.push({ row: r.row, field: COLUMNS.rfc.label, message: rfcIssue });
    const claveIssue = clave === '' ? 'CLAVE is empty' : claveProblem(clave);
    if (claveIssue) rowErrors.push({ row: r.row, field: COLUMNS.clave.label, message: claveIssue });
    const price = parseAmount(r.cells[columns.price]);
    if (price !== null && (!Number.isFinite(price) || price <= 0)) {
      rowErrors.push({ row: r.row, field: COLUMNS.price.label, message: `"${cellText(r.cells[columns.price])}" is not a unit price above 0 (e.g. 1,250.50)` });
    }
    const quantity = parseAmount(r.cells[columns.quantity]);
    if (quantity !== null && (!Number.isSafeInteger(quantity) || quantity <= 0)) {
      rowErrors.push({ row: r.row, field: COLUMNS.quantity.label, message: `"${cellText(r.cells[columns.quantity])}" is not a whole number of pieces above 0` });
    }
    if (!rowErrors.length) {
      const key = `${clave} ${rfc}`;
      const seen = first.get(key);
      if (seen !== undefined) rowErrors.push({ row: r.row, field: COLUMNS.clave.label, message: `repeats the bid of ${rfc} for ${clave} of row ${seen}; only the first is imported` });
      else first.set(key, r.row);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      badRows++;
    } else {
      bids.push({ row: r.row, supplierRfc: rfc, clave, unitPrice: price, offeredQuantity: quantity });
    }
  }
  if (!columns) throw new BidFileProblem(`NO_HEADER: no row with the columns RFC and CLAVE in the first ${HEADER_SEARCH_ROWS} rows`);
  return { bids, errors, rows: count, badRows };
}
