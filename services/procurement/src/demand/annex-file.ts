import * as ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import type { AnnexRow } from './annex-layout';

/** The file could not be read as a workbook; the message says why. */
export class UnreadableAnnex extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableAnnex';
  }
}

/**
 * Streams the rows of the first worksheet of an .xlsx (exceljs' streaming reader: memory stays
 * flat as files grow). `cells[0]` is column A.
 */
export async function* readAnnexRows(path: string): AsyncGenerator<AnnexRow> {
  const source = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let row = 0;
  let sheets = 0;
  try {
    for await (const worksheet of reader) {
      if (sheets++ > 0) break; // the annex is the first sheet
      for await (const r of worksheet) {
        row = r.number;
        const values = r.values;
        yield { row, cells: Array.isArray(values) ? values.slice(1) : [] };
      }
    }
  } catch (err) {
    throw new UnreadableAnnex(`The .xlsx workbook could not be read${row ? ` after row ${row}` : ''}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    source.destroy();
  }
  if (sheets === 0) throw new UnreadableAnnex('The .xlsx file has no worksheet');
}
