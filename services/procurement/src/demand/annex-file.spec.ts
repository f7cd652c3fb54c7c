import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnnexRows, UnreadableAnnex } from './annex-file';

describe('readAnnexRows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'annex-file-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const rowsOf = async (path: string) => {
    const rows: { row: number; cells: unknown[] }[] = [];
    for await (const r of readAnnexRows(path)) rows.push({ row: r.row, cells: [...r.cells] });
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
    const path = join(dir, 'small.xlsx');
    await writeFile(path, Buffer.from(await wb.xlsx.writeBuffer()));

    const rows = await rowsOf(path);
    expect(rows.map((r) => r.row)).toEqual([2, 4]);
    expect(rows[0].cells).toEqual(['CLAVE', 'DESCRIPCIÓN <&> "ñ"', 'MIN', 'MAX']);
    const cells = rows[1].cells;
    expect(cells.slice(0, 4)).toEqual(['010.000.0104.00', 'PARACETAMOL', 1200, 2400]);
    expect([cells[4], cells[5], cells[6], cells[27]]).toEqual([undefined, true, null, ' 1,234 ']);
  });

  it('refuses a file that is not a workbook', async () => {
    const path = join(dir, 'garbage.xlsx');
    await writeFile(path, 'CLAVE,MIN,MAX\n');
    await expect(rowsOf(path)).rejects.toBeInstanceOf(UnreadableAnnex);
  });
});
