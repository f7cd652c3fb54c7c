// The rule of the server exports (csvRecord in libs/platform's export-cells.ts) and of the classic
// dashboard's assets/csv.js: text a spreadsheet would run as a formula (OWASP "CSV Injection")
// gets a leading single quote, and quotes keep a separator inside a value from starting a cell.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;'\t\r\n]/;

export type CsvValue = string | number | null | undefined;

/** One cell: numbers as they are, text neutralized and quoted when needed, null and undefined empty. */
export function csvCell(value: CsvValue): string {
  if (typeof value === 'number') return String(value);
  const text = value ?? '';
  const cell = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** One CSV record, without its line ending. */
export const csvRecord = (values: readonly CsvValue[]): string => values.map(csvCell).join(',');

/** A whole file: records joined and ended by CRLF (RFC 4180). */
export const csvFile = (records: readonly (readonly CsvValue[])[]): string =>
  records.map((record) => `${csvRecord(record)}\r\n`).join('');
