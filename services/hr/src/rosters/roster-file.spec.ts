import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRosterFile } from './roster-file';

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
});
