import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipOf } from '@imb/testing';
import { readXlsxRows, UnreadableWorkbook, XlsxSheetRow } from './xlsx-rows';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

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

  it('reads workbooks whose elements carry a namespace prefix, skipping chart sheets; Excel escapes and empty values', async () => {
    const path = join(dir, 'prefixed.xlsx');
    await writeFile(
      path,
      zipOf({
        'xl/workbook.xml': `<x:workbook xmlns:x="${MAIN}" xmlns:r="${RELS}"><x:sheets><x:sheet name="Gráfica" sheetId="2" r:id="rId2"/><x:sheet name="Datos" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
        'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/datos.xml"/><Relationship Id="rId2" Type="${RELS}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
        'xl/sharedStrings.xml': `<x:sst xmlns:x="${MAIN}"><x:si><x:t>CLUES</x:t></x:si><x:si /><x:si><x:r><x:t xml:space="preserve">línea 1_x000D_</x:t></x:r><x:r><x:t>línea 2</x:t></x:r></x:si></x:sst>`,
        'xl/worksheets/datos.xml': `<?xml version="1.0"?><x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row><x:row r="3"><x:c r="A3"><x:v xml:space="preserve">12.5</x:v></x:c><x:c r="B3"><x:v></x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:t>HGSSA000016</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
      }),
    );
    const rows = await rowsOf(path, true);
    expect(rows.map((r) => [r.sheet, r.row, r.cells])).toEqual([
      [1, 1, ['CLUES', '', 'línea 1\rlínea 2']],
      [1, 3, [12.5, undefined, undefined, 'HGSSA000016']],
    ]);
  });

  it('refuses a file that is not a workbook, saying so', async () => {
    const path = join(dir, 'garbage.xlsx');
    await writeFile(path, 'CLAVE,MIN,MAX\n');
    await expect(rowsOf(path)).rejects.toBeInstanceOf(UnreadableWorkbook);
    await expect(rowsOf(path)).rejects.toThrow(/could not be read|damaged/);
  });
});
