import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_XLSX_LIMITS } from '@imb/platform';
import { checkRosterFile, MAX_RECORD_BYTES, readRosterRows } from './roster-file';

describe('checkRosterFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hr-roster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Plantilla').addRow(['CURP', 'NOMBRE']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const file = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('accepts a whole workbook and a text CSV', async () => {
    await expect(checkRosterFile(file('whole.xlsx', await workbook()), 'xlsx')).resolves.toBeUndefined();
    await expect(checkRosterFile(file('plantilla.csv', 'CURP,NOMBRE\n'), 'csv')).resolves.toBeUndefined();
  });

  it('refuses, before any job, a workbook cut short, a zip that is not a workbook, or a workbook named .csv', async () => {
    const bytes = await workbook();
    await expect(checkRosterFile(file('cut.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))), 'xlsx')).rejects.toThrow(
      /damaged or incomplete/,
    );
    // The same workbook with its workbook part renamed: a zip, but not a spreadsheet.
    const renamed = Buffer.from(bytes.toString('latin1').split('xl/workbook.xml').join('xl/notebook.xml'), 'latin1');
    await expect(checkRosterFile(file('other.xlsx', renamed), 'xlsx')).rejects.toThrow(/not an Excel workbook/);
    await expect(checkRosterFile(file('renamed.csv', bytes), 'csv')).rejects.toThrow(/zip archive/);
    await expect(checkRosterFile(file('empty.xlsx', ''), 'xlsx')).rejects.toThrow(/empty/);
  });

  it('takes a CSV with a stray NUL in a cell (that row fails alone) but refuses a binary one', async () => {
    await expect(checkRosterFile(file('stray.csv', 'CURP,NOMBRE\nX,ANA\u0000GOMEZ\n'), 'csv')).resolves.toBeUndefined();
    await expect(checkRosterFile(file('utf16.csv', Buffer.from('CURP,NOMBRE\n', 'utf16le')), 'csv')).rejects.toThrow(/full of NUL bytes/);
  });

  it('refuses a record larger than 1 MiB (an unclosed quote) instead of growing without bound', async () => {
    const path = file('unclosed.csv', `PLAZA,CURP\nP1,"${'A'.repeat(MAX_RECORD_BYTES + 10)}\n`);
    const read = async () => {
      for await (const _ of readRosterRows(path, 'csv', DEFAULT_XLSX_LIMITS)) void _;
    };
    await expect(read()).rejects.toThrow(/could not be read after row 1: .*(maximum|Max Record Size)/i);
  });
});
