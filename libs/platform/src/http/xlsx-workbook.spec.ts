import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startsLikeZip, xlsxContentProblem, xlsxFileProblem } from './xlsx-workbook';

describe('xlsx workbook check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-xlsx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let whole: Buffer;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Anexo').addRow(['CLAVE', 'DESCRIPCION']);
    whole = Buffer.from(await wb.xlsx.writeBuffer());
  });

  /** Both ways of asking (a file on disk, bytes in memory) must agree. */
  async function problemOf(name: string, bytes: Buffer): Promise<string | null> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const fromFile = await xlsxFileProblem(path);
    expect(await xlsxContentProblem(bytes)).toBe(fromFile);
    return fromFile;
  }

  it('accepts a whole workbook', async () => {
    expect(startsLikeZip(whole)).toBe(true);
    expect(await problemOf('whole.xlsx', whole)).toBeNull();
  });

  it('refuses a workbook cut short at any point', async () => {
    for (const fraction of [0.1, 0.5, 0.9, 0.999]) {
      const cut = whole.subarray(0, Math.floor(whole.length * fraction));
      expect(await problemOf(`cut-${fraction}.xlsx`, cut)).toBe(
        'The .xlsx file is damaged or incomplete (its zip directory cannot be read)',
      );
    }
  });

  it('refuses a zip that is not a workbook, a file that is no zip, and an empty file', async () => {
    // The same workbook with its workbook part renamed: a zip, but not a spreadsheet.
    const renamed = Buffer.from(whole.toString('latin1').split('xl/workbook.xml').join('xl/notebook.xml'), 'latin1');
    expect(await problemOf('renamed.xlsx', renamed)).toBe('The zip archive is not an Excel workbook (it has no xl/workbook.xml)');
    expect(await problemOf('text.xlsx', Buffer.from('CLAVE,DESCRIPCION\n'))).toBe(
      'The file is not an .xlsx workbook (an .xlsx file is a zip archive)',
    );
    expect(startsLikeZip(Buffer.from('PK'))).toBe(false);
    expect(await problemOf('empty.xlsx', Buffer.alloc(0))).toBe('The file is empty');
  });
});
