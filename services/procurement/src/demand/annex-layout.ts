import { claveProblem } from '@imb/contracts';
import { cellText, parseQuantity } from './quantity';
import { adheredStateColumn, normalizeLabel } from './state-columns';

/**
 * Where things are in a demand annex. Layouts change from one cycle to the next, so the header is
 * found rather than assumed: the row with a CLAVE column, and (in that row or up to two rows
 * below) the MIN/MAX column pairs. Each pair is named by the header cells above it (institution
 * names, years, "Cantidad Solicitada", …, nearest row first); a title spanning several pairs
 * (merged cells) names each of them. The pair titled TOTAL(ES) is the published total of the row;
 * pairs of money (IMPORTE, PRECIO, MONTO, COSTO) are not demand and are skipped.
 *
 * Column indexes are 0-based positions in a row's cells (column A = 0).
 */
export interface InstitutionColumns {
  /** The column title as published, e.g. 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO'. */
  name: string;
  min: number;
  max: number;
  /** INEGI code of an IMSS-BIENESTAR adhered-state column; null for other institutions. */
  stateCode: string | null;
}

export interface AnnexLayout {
  source: 'detected' | 'mapping';
  /** Spreadsheet row of the MIN/MAX header (the last header row). */
  headerRow: number;
  /** First spreadsheet row of data. */
  firstDataRow: number;
  clave: number;
  description: number | null;
  cucop: number | null;
  unit: number | null;
  institutions: InstitutionColumns[];
  /** The published TOTALES pair, checked against the sum of the institutions. */
  totals: { min: number; max: number } | null;
  /** Titles of pairs left out (money columns). */
  skipped: string[];
  /** Adhered-state columns whose state could not be named (their lines keep a null state code). */
  unknownStates: string[];
}

/** One row of the sheet: `row` as a spreadsheet shows it, `cells[0]` = column A. */
export interface AnnexRow {
  row: number;
  cells: readonly unknown[];
}

/** Rows looked at for the header. */
export const HEADER_SEARCH_ROWS = 40;

const MIN_TITLES = new Set(['MIN', 'MIN.', 'MINIMO', 'MINIMA', 'CANTIDAD MINIMA']);
const MAX_TITLES = new Set(['MAX', 'MAX.', 'MAXIMO', 'MAXIMA', 'CANTIDAD MAXIMA']);
const TOTAL_TITLE = /^TOTAL(ES)?$/;
const MONEY_TITLE = /\b(IMPORTE|PRECIO|MONTO|COSTO)\b/;

const norm = (cell: unknown) => normalizeLabel(cellText(cell));

/** Column letters of a 0-based index (0 → A, 27 → AB). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 0-based index of a column given as letters ('DV') or a 1-based number; undefined when neither. */
export function columnIndex(column: string | number): number | undefined {
  if (typeof column === 'number') return Number.isInteger(column) && column >= 1 ? column - 1 : undefined;
  const letters = column.trim().toUpperCase();
  if (/^\d+$/.test(letters)) return columnIndex(Number(letters));
  if (!/^[A-Z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function minMaxPairs(cells: readonly unknown[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 1 < cells.length; i++) {
    if (MIN_TITLES.has(norm(cells[i])) && MAX_TITLES.has(norm(cells[i + 1]))) starts.push(i++);
  }
  return starts;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Finds the layout in the first rows of a sheet, or says why it cannot. */
export function detectLayout(rows: readonly AnnexRow[]): AnnexLayout | { problem: string } {
  const claveAt = rows.findIndex((r) => r.cells.some((c) => norm(c) === 'CLAVE'));
  if (claveAt < 0) {
    return { problem: `no header row with a CLAVE column in the first ${HEADER_SEARCH_ROWS} rows: is this a demand annex? Send a column mapping for a new layout` };
  }
  const claveRow = rows[claveAt];
  let headerAt = -1;
  let pairs: number[] = [];
  for (let i = claveAt; i < rows.length && rows[i].row <= claveRow.row + 2; i++) {
    pairs = minMaxPairs(rows[i].cells);
    if (pairs.length) {
      headerAt = i;
      break;
    }
  }
  if (headerAt < 0) {
    return { problem: `row ${claveRow.row} has a CLAVE column but no MIN/MAX column pairs follow in it or the two rows below: send a column mapping for this layout` };
  }
  const header = rows[headerAt];
  const titleRows = rows.filter((r) => r.row < header.row && r.row >= header.row - 3).reverse();
  const find = (test: (title: string) => boolean): number | null => {
    for (const r of [claveRow, header]) {
      const i = r.cells.findIndex((c) => test(norm(c)));
      if (i >= 0) return i;
    }
    return null;
  };

  const layout: AnnexLayout = {
    source: 'detected',
    headerRow: header.row,
    firstDataRow: header.row + 1,
    clave: claveRow.cells.findIndex((c) => norm(c) === 'CLAVE'),
    description: find((t) => t.startsWith('DESCRIPCION')),
    cucop: find((t) => t === 'CUCOP'),
    unit: find((t) => t.startsWith('UNIDAD')),
    institutions: [],
    totals: null,
    skipped: [],
    unknownStates: [],
  };
  // A title spanning several adjacent pairs (a merged cell) names each of them.
  const carry = new Map<number, string>();
  let previousEnd = -2;
  const names = new Map<string, number>();
  for (const start of pairs) {
    if (start !== previousEnd + 1) carry.clear();
    previousEnd = start + 1;
    const parts: string[] = [];
    for (const r of titleRows) {
      const own = cellText(r.cells[start]) || cellText(r.cells[start + 1]);
      if (own) carry.set(r.row, own);
      const title = own || carry.get(r.row);
      if (title) parts.push(collapse(title));
    }
    const title = parts.join(' ') || `COLUMNAS ${columnLetter(start)}-${columnLetter(start + 1)}`;
    const normalized = normalizeLabel(title);
    if (TOTAL_TITLE.test(normalized)) {
      layout.totals = { min: start, max: start + 1 };
      continue;
    }
    if (MONEY_TITLE.test(normalized)) {
      layout.skipped.push(title);
      continue;
    }
    const seen = names.get(title) ?? 0;
    names.set(title, seen + 1);
    const name = seen ? `${title} (${seen + 1})` : title;
    layout.institutions.push({ name, min: start, max: start + 1, stateCode: stateOf(name, layout) });
  }
  if (!layout.institutions.length) return { problem: `the MIN/MAX pairs of row ${header.row} are all totals or amounts: no institution demand found` };
  return layout;
}

function stateOf(name: string, layout: AnnexLayout): string | null {
  const adhered = adheredStateColumn(name);
  if (!adhered) return null;
  if (!adhered.stateCode) layout.unknownStates.push(name);
  return adhered.stateCode ?? null;
}

/** A column mapping sent with an import, for a layout the detection does not understand. */
export interface ColumnMapping {
  headerRow: number;
  clave: string | number;
  description?: string | number;
  cucop?: string | number;
  unit?: string | number;
  institutions: { name: string; min: string | number; max: string | number; stateCode?: string }[];
  totals?: { min: string | number; max: string | number };
}

/** The layout a mapping describes, or why it is not usable. */
export function layoutFromMapping(mapping: ColumnMapping): AnnexLayout | { problem: string } {
  const problems: string[] = [];
  const col = (value: string | number | undefined, field: string): number | null => {
    if (value === undefined || value === null) return null;
    const index = columnIndex(value);
    if (index === undefined) problems.push(`${field}: "${value}" is not a column (letters like "DV" or a number from 1)`);
    return index ?? null;
  };
  const layout: AnnexLayout = {
    source: 'mapping',
    headerRow: mapping.headerRow,
    firstDataRow: mapping.headerRow + 1,
    clave: col(mapping.clave, 'clave') ?? -1,
    description: col(mapping.description, 'description'),
    cucop: col(mapping.cucop, 'cucop'),
    unit: col(mapping.unit, 'unit'),
    institutions: mapping.institutions.map((inst, i) => ({
      name: collapse(inst.name),
      min: col(inst.min, `institutions[${i}].min`) ?? -1,
      max: col(inst.max, `institutions[${i}].max`) ?? -1,
      stateCode: inst.stateCode ?? adheredStateColumn(inst.name)?.stateCode ?? null,
    })),
    totals: mapping.totals ? { min: col(mapping.totals.min, 'totals.min') ?? -1, max: col(mapping.totals.max, 'totals.max') ?? -1 } : null,
    skipped: [],
    unknownStates: [],
  };
  const names = new Set<string>();
  for (const inst of layout.institutions) {
    if (names.has(inst.name)) problems.push(`institution "${inst.name}" is mapped twice`);
    names.add(inst.name);
  }
  return problems.length ? { problem: `the column mapping is not usable: ${problems.join('; ')}` } : layout;
}

/** One line of demand read from a row. */
export interface ParsedLine {
  institution: string;
  stateCode: string | null;
  min: number;
  max: number;
}

/** What one data row holds. `errors` refuse the row; `totalsMismatch` is reported but the row is kept. */
export interface ParsedRow {
  clave: string;
  description: string;
  cucop: string | null;
  unit: string | null;
  lines: ParsedLine[];
  errors: { field: string; message: string }[];
  totalsMismatch: { field: string; message: string }[];
}

const textAt = (cells: readonly unknown[], index: number | null) => (index === null ? '' : cellText(cells[index]));

/** True when a row has nothing in the clave column and no description: a blank or trailing row. */
export function isBlankRow(cells: readonly unknown[], layout: AnnexLayout): boolean {
  return !textAt(cells, layout.clave) && !textAt(cells, layout.description);
}

/** Reads one data row: the clave, its description, and each institution's MIN/MAX. */
export function parseRow(cells: readonly unknown[], layout: AnnexLayout): ParsedRow {
  const clave = textAt(cells, layout.clave);
  const parsed: ParsedRow = {
    clave,
    description: textAt(cells, layout.description),
    cucop: textAt(cells, layout.cucop) || null,
    unit: textAt(cells, layout.unit) || null,
    lines: [],
    errors: [],
    totalsMismatch: [],
  };
  const problem = claveProblem(clave);
  if (problem) parsed.errors.push({ field: 'CLAVE', message: clave ? problem : 'the clave is missing' });
  if (!parsed.description && layout.description !== null) parsed.errors.push({ field: 'DESCRIPCIÓN', message: 'the description is missing' });
  let sumMin = 0;
  let sumMax = 0;
  for (const inst of layout.institutions) {
    const min = parseQuantity(cells[inst.min]);
    const max = parseQuantity(cells[inst.max]);
    if ('problem' in min) parsed.errors.push({ field: `${inst.name} MIN`, message: min.problem });
    if ('problem' in max) parsed.errors.push({ field: `${inst.name} MAX`, message: max.problem });
    if ('value' in min && 'value' in max) {
      if (min.value > max.value) parsed.errors.push({ field: `${inst.name} MIN`, message: `MIN ${min.value} is greater than MAX ${max.value}` });
      parsed.lines.push({ institution: inst.name, stateCode: inst.stateCode, min: min.value, max: max.value });
      sumMin += min.value;
      sumMax += max.value;
    }
  }
  if (layout.totals && !parsed.errors.length) {
    for (const [kind, index, sum] of [['MIN', layout.totals.min, sumMin], ['MAX', layout.totals.max, sumMax]] as const) {
      const published = cells[index] === undefined || cellText(cells[index]) === '' ? null : parseQuantity(cells[index]);
      if (published === null) continue; // no published total to check (e.g. a formula never calculated)
      if ('problem' in published) parsed.errors.push({ field: `TOTALES ${kind}`, message: published.problem });
      else if (published.value !== sum) {
        parsed.totalsMismatch.push({ field: `TOTALES ${kind}`, message: `the published total ${published.value} differs from the sum of the institutions, ${sum}` });
      }
    }
  }
  return parsed;
}
