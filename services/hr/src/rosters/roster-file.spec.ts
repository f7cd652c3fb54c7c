import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRosterFile } from './roster-file';
import { zipEntryNames } from './zip-directory';

describe('zip directory of an uploaded workbook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hr-zip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Plantilla').addRow(['CURP', 'NOMBRE']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('lists the entries of a whole workbook', async () => {
    const bytes = await workbook();
    expect(await zipEntryNames(file('whole.xlsx', bytes), bytes.length)).toContain('xl/workbook.xml');
    await expect(checkRosterFile(join(dir, 'whole.xlsx'), 'xlsx')).resolves.toBeUndefined();
  });

  it('refuses, before any job, a workbook cut short or a zip that is not a workbook', async () => {
    const bytes = await workbook();
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
    expect(await zipEntryNames(file('cut.xlsx', cut), cut.length)).toBeNull();
    await expect(checkRosterFile(join(dir, 'cut.xlsx'), 'xlsx')).rejects.toThrow(/damaged or incomplete/);
    // The same workbook with its workbook part renamed: a zip, but not a spreadsheet.
    const renamed = Buffer.from(bytes.toString('latin1').split('xl/workbook.xml').join('xl/notebook.xml'), 'latin1');
    await expect(checkRosterFile(file('other.xlsx', renamed), 'xlsx')).rejects.toThrow(/not an Excel workbook/);
  });
});
