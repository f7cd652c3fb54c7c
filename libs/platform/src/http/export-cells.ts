/** A value of one cell of an exported table (CSV or .xlsx): text, or a number written as a number. */
export type ExportValue = string | number | null | undefined;

// OWASP "CSV Injection": spreadsheet programs run a cell starting with one of these as a formula
// (=HYPERLINK(…) sends data away, @SUM/DDE can start programs); tab and carriage return hide it.
// The dashboard's downloads repeat this rule in services/gateway/web/assets/csv.js: keep them alike.
const FORMULA_START = /^[=+\-@\t\r]/;
// A separator (',' or ';', Excel's list separator in many Spanish locales), a quote or a line
// break would let a value open a new cell in the middle, at a start the check above never saw.
const NEEDS_QUOTES = /[",;'\t\r\n]/;

/**
 * The value as an exported cell holds it: text starting with =, +, -, @, tab or carriage return
 * gets a leading single quote so no spreadsheet program runs it as a formula; numbers stay numbers
 * (a quantity of -5 is a value, not a formula); null and undefined are an empty cell. The .xlsx
 * exports use it too, though exceljs writes text as text, so a file reads the same in either format.
 */
export function exportCell(value: ExportValue): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV record, without its line ending: each value through `exportCell`, text quoted when it holds a separator, a quote or a line break. */
export function csvRecord(values: readonly ExportValue[]): string {
  return values
    .map((value) => {
      const cell = exportCell(value);
      if (typeof cell === 'number') return String(cell);
      return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(',');
}
