import * as ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';

type Row = { clave: string; description: string | null; min: string; max: string };

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const write = (out: Writable, chunk: string) =>
  out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));

/** Writes the consolidated items as CSV (UTF-8 with BOM, so spreadsheet programs read the accents). */
export async function writeCsv(rows: AsyncIterable<Row>, out: Writable): Promise<void> {
  await write(out, '\ufeffCLAVE,DESCRIPCION,MIN,MAX\r\n');
  for await (const r of rows) await write(out, `${csvField(r.clave)},${csvField(r.description ?? '')},${r.min},${r.max}\r\n`);
  out.end();
}

/** Writes the consolidated items as an .xlsx workbook with exceljs' streaming writer. */
export async function writeXlsx(rows: AsyncIterable<Row>, out: Writable, title: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Consolidado');
  sheet.addRow([title]).commit();
  sheet.addRow(['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX']).commit();
  for await (const r of rows) sheet.addRow([r.clave, r.description ?? '', Number(r.min), Number(r.max)]).commit();
  sheet.commit();
  await workbook.commit();
}
