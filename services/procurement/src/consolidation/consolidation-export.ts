import * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { csvRecord, exportCell, ExportValue } from '@imb/platform';

type Row = { clave: string; description: string | null; min: string; max: string };

/** A row's cells: clave and description as text (from uploaded annexes, so never trusted), MIN and MAX as numbers. */
const cells = (r: Row): ExportValue[] => [r.clave, r.description, Number(r.min), Number(r.max)];
const write = (out: Writable, chunk: string) =>
  out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));

/** Writes the consolidated items as CSV (UTF-8 with BOM, so spreadsheet programs read the accents). */
export async function writeCsv(rows: AsyncIterable<Row>, out: Writable): Promise<void> {
  await write(out, `\ufeff${csvRecord(['CLAVE', 'DESCRIPCION', 'MIN', 'MAX'])}\r\n`);
  for await (const r of rows) await write(out, `${csvRecord(cells(r))}\r\n`);
  out.end();
}

/** Writes the consolidated items as an .xlsx workbook with exceljs' streaming writer. */
export async function writeXlsx(rows: AsyncIterable<Row>, out: Writable, title: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Consolidado');
  const addRow = (values: ExportValue[]) => sheet.addRow(values.map(exportCell)).commit();
  addRow([title]);
  addRow(['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX']);
  for await (const r of rows) addRow(cells(r));
  sheet.commit();
  await workbook.commit();
}
