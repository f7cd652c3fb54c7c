import { parse } from 'csv-parse/sync';
import { curpProblem } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { readXlsxRows, startsLikeZip, XlsxLimits, XlsxTooLarge } from '@imb/platform';

/**
 * The reference lists a campaign is checked against, uploaded by HR as .csv or .xlsx files:
 * people with a permanent post at IMSS or ISSSTE, people barred from public service, and the
 * HR office's performance and training evaluations. Each has a CURP column; the header may sit
 * in any of the first 20 rows and names are matched without accents, case or spacing.
 */
export const LIST_KINDS = ['permanent-posts', 'barred', 'evaluations'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const LIST_TITLES: Record<ListKind, string> = {
  'permanent-posts': 'people with a permanent post at IMSS or ISSSTE',
  barred: 'people barred from public service',
  evaluations: 'performance and training evaluations',
};

type Field = 'curp' | 'detail' | 'score' | 'hours';
interface Column {
  label: string;
  aliases: string[];
  required: boolean;
}
const COLUMNS: Record<ListKind, Partial<Record<Field, Column>>> = {
  'permanent-posts': {
    curp: { label: 'CURP', aliases: ['CURP'], required: true },
    detail: { label: 'INSTITUCION', aliases: ['INSTITUCION', 'DEPENDENCIA', 'INSTITUTO'], required: false },
  },
  barred: {
    curp: { label: 'CURP', aliases: ['CURP'], required: true },
    detail: { label: 'SANCION', aliases: ['SANCION', 'TIPO SANCION', 'MOTIVO', 'INHABILITACION'], required: false },
  },
  evaluations: {
    curp: { label: 'CURP', aliases: ['CURP'], required: true },
    score: { label: 'CALIFICACION', aliases: ['CALIFICACION', 'DESEMPENO', 'EVALUACION DESEMPENO', 'PUNTAJE'], required: true },
    hours: { label: 'HORAS_CAPACITACION', aliases: ['HORAS CAPACITACION', 'HORAS DE CAPACITACION', 'CAPACITACION HORAS', 'CAPACITACION'], required: true },
  },
};

/** One person on a list; `score` and `trainingHours` only on the evaluations list. */
export interface ListEntry {
  row: number;
  curp: string;
  detail: string | null;
  score: number | null;
  trainingHours: number | null;
}

export interface ParsedList {
  entries: ListEntry[];
  errors: JobRowError[];
  /** Rows naming a CURP already listed above (kept once). */
  duplicates: number;
}

export class UnreadableList extends Error {}

export const listFormatOf = (name: string): 'csv' | 'xlsx' | null => (/\.xlsx$/i.test(name) ? 'xlsx' : /\.csv$/i.test(name) ? 'csv' : null);

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return '';
};
const normalize = (v: unknown) =>
  text(v)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[_\s.]+/g, ' ')
    .trim();

const HEADER_SEARCH_ROWS = 20;

/**
 * The rows of a .csv (any of , ; | tab; UTF-8 or Windows-1252) or of the first sheet of an .xlsx,
 * numbered as a spreadsheet shows them. A workbook is read within the request under `limits`
 * (those of a request, as its rows are all held); one that crosses them fails with XlsxTooLarge.
 */
export async function readListRows(content: Buffer, format: 'csv' | 'xlsx', limits: XlsxLimits): Promise<{ row: number; cells: unknown[] }[]> {
  if (format === 'xlsx') {
    if (!startsLikeZip(content)) throw new UnreadableList('The file is not an .xlsx workbook (an .xlsx file is a zip archive)');
    const rows: { row: number; cells: unknown[] }[] = [];
    try {
      // Rows without a value are left out, as they hold no one.
      for await (const { row, cells } of readXlsxRows(content, { limits, inRequest: true })) if (cells.length) rows.push({ row, cells });
    } catch (err) {
      if (err instanceof XlsxTooLarge) throw err;
      throw new UnreadableList(err instanceof Error ? err.message : String(err));
    }
    return rows;
  }
  if (content.includes(0)) throw new UnreadableList('The .csv file is not text (it contains NUL bytes)');
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    source = content.toString('latin1');
  }
  // The delimiter is the one the header (the line naming CURP, maybe below a title) uses most.
  const lines = source.split(/\r?\n/, HEADER_SEARCH_ROWS);
  const header = lines.find((l) => /CURP/i.test(l)) ?? lines[0] ?? '';
  const delimiter = [',', ';', '|', '\t'].reduce((best, c) => (header.split(c).length > header.split(best).length ? c : best), ',');
  try {
    const records: string[][] = parse(source, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
    return records.map((cells, i) => ({ row: i + 1, cells }));
  } catch (err) {
    throw new UnreadableList(`The CSV file could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Validates a list: every data row must carry a valid CURP (and, for evaluations, a score 0–100 and whole training hours). */
export function parseList(kind: ListKind, rows: { row: number; cells: unknown[] }[]): ParsedList {
  const columns = COLUMNS[kind];
  const fields = Object.entries(columns) as [Field, Column][];
  let at: Partial<Record<Field, number>> | null = null;
  let headerRow = 0;
  for (const r of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const names = r.cells.map(normalize);
    const found: Partial<Record<Field, number>> = {};
    for (const [field, col] of fields) {
      const i = names.findIndex((n) => col.aliases.includes(n));
      if (i >= 0) found[field] = i;
    }
    if (found.curp !== undefined) {
      at = found;
      headerRow = r.row;
      break;
    }
  }
  if (!at) throw new UnreadableList(`No header row with a CURP column in the first ${HEADER_SEARCH_ROWS} rows`);
  const header = at;
  const missing = fields.filter(([f, c]) => c.required && header[f] === undefined).map(([, c]) => c.label);
  if (missing.length) throw new UnreadableList(`The header (row ${headerRow}) has no column ${missing.join(', ')}`);

  const entries: ListEntry[] = [];
  const errors: JobRowError[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const cell = (cells: unknown[], f: Field) => {
    const i = header[f];
    return i === undefined ? '' : text(cells[i]);
  };
  for (const r of rows) {
    if (r.row <= headerRow || r.cells.every((c) => text(c) === '')) continue;
    const rowErrors: JobRowError[] = [];
    const curp = cell(r.cells, 'curp').toUpperCase();
    const problem = curp ? curpProblem(curp) : 'CURP is empty';
    if (problem) rowErrors.push({ row: r.row, field: 'CURP', message: problem });
    let score: number | null = null;
    let trainingHours: number | null = null;
    if (kind === 'evaluations') {
      const s = cell(r.cells, 'score').replace(',', '.');
      score = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
      if (!(score >= 0 && score <= 100)) rowErrors.push({ row: r.row, field: columns.score!.label, message: `"${s}" is not a score from 0 to 100` });
      const h = cell(r.cells, 'hours');
      trainingHours = /^\d{1,5}$/.test(h) ? Number(h) : NaN;
      if (Number.isNaN(trainingHours)) rowErrors.push({ row: r.row, field: columns.hours!.label, message: `"${h}" is not a whole number of hours` });
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    if (seen.has(curp)) {
      duplicates++;
      continue;
    }
    seen.add(curp);
    entries.push({ row: r.row, curp, detail: cell(r.cells, 'detail').slice(0, 200) || null, score, trainingHours });
  }
  return { entries, errors, duplicates };
}
