// CSV files the browser saves. The rule is the server exports' (csvRecord in libs/platform's
// export-cells.ts), repeated here because these modules are served as written, with no build
// that could import a library: text a spreadsheet would run as a formula (OWASP "CSV Injection")
// gets a leading single quote, and quotes keep a separator inside a value from starting a cell.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;'\t\r\n]/;

/** One CSV record, without its line ending: numbers as they are, text neutralized and quoted when needed, null and undefined empty. */
export function csvRecord(values) {
  return values
    .map((value) => {
      if (typeof value === 'number') return String(value);
      const text = String(value ?? '');
      const cell = FORMULA_START.test(text) ? `'${text}` : text;
      return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    })
    .join(',');
}
