import { DeflatedEntry, repeatedEntry, zipOf } from './zip';

const MIB = 1024 * 1024;
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

/**
 * About 1 MiB of `unit(choice)` repeated, each choice one of `choices` from a fixed pseudo-random
 * sequence: the irregularity keeps it compressing 30 to 70 times, under any ratio limit, so a
 * bomb built of it reaches the other limits.
 */
function irregular(unit: (choice: number) => string, choices: number): string {
  let seed = 1;
  let text = '';
  while (text.length < MIB) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += unit((seed >>> 16) % choices);
  }
  return text;
}

/** A workbook of the given sheets (and shared strings), with only the parts readers need. */
export function workbookOf(
  sheets: (string | DeflatedEntry)[],
  sharedStrings?: string | DeflatedEntry,
): Buffer {
  const entries: Record<string, string | DeflatedEntry> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
    'xl/workbook.xml': `<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets>${sheets.map((_, i) => `<sheet name="Hoja${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${RELS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
  };
  if (sharedStrings !== undefined) entries['xl/sharedStrings.xml'] = sharedStrings;
  sheets.forEach((sheet, i) => (entries[`xl/worksheets/sheet${i + 1}.xml`] = sheet));
  return zipOf(entries);
}

/**
 * Workbooks built to exhaust a reader, each small on disk and cheap to build: every one is
 * refused by a reader that enforces the default XlsxLimitsConfig, each by the limit named in its
 * doc (sizes are parameters, so a test may aim lower limits).
 */
export const xlsxBombs = {
  /** A first sheet of `mib` MiB of zeros: 520 kB for 500 MiB (XLSX_MAX_COMPRESSION_RATIO). */
  zeros: (mib = 500) => workbookOf([repeatedEntry('', Buffer.alloc(MIB), mib)]),

  /** A first sheet of well-formed rows, `mib` MiB of them: 1.3 MB for 500 MiB, 16 million rows (XLSX_MAX_COMPRESSION_RATIO). */
  rows: (mib = 500) =>
    workbookOf([repeatedEntry(SHEET_HEAD, Buffer.alloc(MIB, '<row><c><v>1</v></c></row>'), mib, SHEET_TAIL)]),

  /** A first row that never closes: `mib` MiB of cells, compressing ~60 times (XLSX_MAX_ELEMENT_BYTES). */
  unterminatedRow: (mib = 20) =>
    workbookOf([
      repeatedEntry(
        `${SHEET_HEAD}<row r="1">`,
        irregular((d) => `<c><v>${d}</v></c>`, 2),
        mib,
        SHEET_TAIL,
      ),
    ]),

  /** Elements nested `mib` MiB deep in the first row, never closed (XLSX_MAX_ELEMENT_BYTES). */
  deepNesting: (mib = 20) =>
    workbookOf([
      repeatedEntry(
        `${SHEET_HEAD}<row r="1">`,
        irregular((d) => (d ? '<a>' : '<b>'), 16),
        mib,
        SHEET_TAIL,
      ),
    ]),

  /** `mib` MiB of one-character shared strings: 1.2 million for 20 MiB, 350 kB zipped (XLSX_MAX_SHARED_STRINGS). */
  sharedStrings: (mib = 20) =>
    workbookOf(
      [`${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_TAIL}`],
      repeatedEntry(
        `<sst xmlns="${MAIN}">`,
        irregular((d) => `<si><t>${d}</t></si>`, 2),
        mib,
        '</sst>',
      ),
    ),

  /**
   * A first sheet of `mib` MiB holding no row (column definitions, compressing ~55 times), under
   * the part and ratio limits: read in one pass it costs time in proportion to its size and no
   * memory; a reader that re-scans what it holds on every chunk takes minutes.
   */
  noRows: (mib = 200) => workbookOf([columnsSheet(mib)]),

  /**
   * Shared strings and `sheets` sheets of `mib` MiB each, every part under the part and ratio
   * limits and none holding a row: the shared strings and the first sheet together exceed a
   * whole-file limit of less than twice `mib` (XLSX_MAX_INFLATED_BYTES or XLSX_MAX_REQUEST_INFLATED_BYTES).
   */
  manyParts: (sheets = 4, mib = 40) =>
    workbookOf(
      Array<DeflatedEntry>(sheets).fill(columnsSheet(mib)),
      repeatedEntry(
        `<sst xmlns="${MAIN}">`,
        irregular((d) => `<si><t>CENTRO DE SALUD RURAL DE SERVICIOS AMPLIADOS ${d}</t></si>`, 8),
        mib,
        '</sst>',
      ),
    ),
};

/** A sheet of `mib` MiB of column definitions and no row. */
function columnsSheet(mib: number): DeflatedEntry {
  const head = SHEET_HEAD.replace('<sheetData>', '<cols>');
  return repeatedEntry(
    head,
    irregular((d) => `<col min="${d + 1}" max="${d + 1}" width="9"/>`, 4),
    mib,
    '</cols><sheetData/></worksheet>',
  );
}
