import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsxRows, UnreadableWorkbook, XlsxSheetRow } from './xlsx-rows';

describe('readXlsxRows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xlsx-rows-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const save = async (name: string, wb: ExcelJS.Workbook) => {
    const path = join(dir, name);
    await writeFile(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  };
  const rowsOf = async (path: string, allSheets = false) => {
    const rows: XlsxSheetRow[] = [];
    for await (const r of readXlsxRows(path, { allSheets })) rows.push(r);
    return rows;
  };

  it('reads the first sheet: strings (shared, rich, escaped), numbers, formula results, booleans and errors, by column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anexo');
    wb.addWorksheet('Otra').addRow(['not this one']);
    ws.getRow(2).values = ['CLAVE', 'DESCRIPCIÓN <&> "ñ"', 'MIN', 'MAX'];
    ws.getCell('A4').value = '010.000.0104.00';
    ws.getCell('B4').value = { richText: [{ text: 'PARA' }, { font: { bold: true }, text: 'CETAMOL' }] };
    ws.getCell('C4').value = 1200;
    ws.getCell('D4').value = { formula: 'C4*2', result: 2400 };
    ws.getCell('F4').value = true;
    ws.getCell('G4').value = { error: '#N/A' };
    ws.getCell('AB4').value = ' 1,234 ';
    const rows = await rowsOf(await save('small.xlsx', wb));

    expect(rows.map((r) => [r.sheet, r.row])).toEqual([
      [1, 2],
      [1, 4],
    ]);
    expect(rows[0].cells).toEqual(['CLAVE', 'DESCRIPCIÓN <&> "ñ"', 'MIN', 'MAX']);
    const cells = rows[1].cells;
    expect(cells.slice(0, 4)).toEqual(['010.000.0104.00', 'PARACETAMOL', 1200, 2400]);
    expect([cells[4], cells[5], cells[6], cells[27]]).toEqual([undefined, true, null, ' 1,234 ']);
  });

  it('reads every sheet in the workbook’s order when asked', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Uno').addRow(['a']);
    wb.addWorksheet('Dos').addRow(['b']);
    const rows = await rowsOf(await save('two.xlsx', wb), true);
    expect(rows.map((r) => [r.sheet, r.cells[0]])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('keeps every multi-byte character whole, wherever the file’s chunks split them', async () => {
    // Megabytes of accented text: many chunk boundaries fall inside a character.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Catálogo');
    const texts = Array.from(
      { length: 20000 },
      (_, i) => `CATÉTER Nº ${i} — NÚCLEO BÁSICO «Ñandú» 医院 ${'á'.repeat(i % 37)}`,
    );
    texts.forEach((text, i) => (ws.getCell(i + 1, 1).value = text));
    const rows = await rowsOf(await save('accents.xlsx', wb));
    expect(rows.map((r) => r.cells[0])).toEqual(texts);
  });

  it('refuses a file that is not a workbook, saying so', async () => {
    const path = join(dir, 'garbage.xlsx');
    await writeFile(path, 'CLAVE,MIN,MAX\n');
    await expect(rowsOf(path)).rejects.toBeInstanceOf(UnreadableWorkbook);
    await expect(rowsOf(path)).rejects.toThrow(/could not be read|damaged/);
  });
});
