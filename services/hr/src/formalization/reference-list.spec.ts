import ExcelJS from 'exceljs';
import { curpCheckDigit } from '@imb/contracts';
import { DEFAULT_XLSX_LIMITS, XlsxTooLarge } from '@imb/platform';
import { xlsxBombs } from '@imb/testing';
import { parseList, readListRows, UnreadableList } from './reference-list';

const curp = (body: string) => body + curpCheckDigit(body);
const A = curp('GOMA800115HNTBBB0');
const B = curp('GOMA800115HNTCCC0');

describe('reference lists', () => {
  it('reads a CSV with a header below a title, semicolons and an optional column', async () => {
    const csv = `LISTA DE PLAZAS DEFINITIVAS\n\ncurp;Institución\n${A};IMSS\n${B};ISSSTE\n${A};IMSS\n`;
    const parsed = parseList('permanent-posts', await readListRows(Buffer.from(csv), 'csv', DEFAULT_XLSX_LIMITS));
    expect(parsed).toEqual({
      entries: [
        { row: 4, curp: A, detail: 'IMSS', score: null, trainingHours: null },
        { row: 5, curp: B, detail: 'ISSSTE', score: null, trainingHours: null },
      ],
      errors: [],
      duplicates: 1,
    });
  });

  it('reports bad CURPs (check digit, shape, empty) by row', async () => {
    const badDigit = A.slice(0, 17) + String((Number(A[17]) + 1) % 10);
    const csv = `CURP,SANCION\n${A},inhabilitación\n${badDigit},x\nNOTACURP,x\n,x\n`;
    const parsed = parseList('barred', await readListRows(Buffer.from(csv), 'csv', DEFAULT_XLSX_LIMITS));
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'CURP'],
      [4, 'CURP'],
      [5, 'CURP'],
    ]);
    expect(parsed.errors[0].message).toMatch(/check digit/i);
    expect(parsed.errors[2].message).toBe('CURP is empty');
  });

  it('validates scores and hours of the evaluations list', async () => {
    const csv = `CURP,CALIFICACION,HORAS_CAPACITACION\n${A},85.5,40\n${B},101,x\n`;
    const parsed = parseList('evaluations', await readListRows(Buffer.from(csv), 'csv', DEFAULT_XLSX_LIMITS));
    expect(parsed.entries).toEqual([{ row: 2, curp: A, detail: null, score: 85.5, trainingHours: 40 }]);
    expect(parsed.errors).toEqual([
      { row: 3, field: 'CALIFICACION', message: '"101" is not a score from 0 to 100' },
      { row: 3, field: 'HORAS_CAPACITACION', message: '"x" is not a whole number of hours' },
    ]);
  });

  it('refuses a file without a CURP column or missing a required column', async () => {
    expect(() => parseList('barred', [{ row: 1, cells: ['NOMBRE'] }])).toThrow(UnreadableList);
    expect(() => parseList('evaluations', [{ row: 1, cells: ['CURP', 'CALIFICACION'] }])).toThrow('The header (row 1) has no column HORAS_CAPACITACION');
    await expect(readListRows(Buffer.from('not a zip'), 'xlsx', DEFAULT_XLSX_LIMITS)).rejects.toThrow(UnreadableList);
  });

  it('reads the first sheet of a workbook (rich text, formula results, a title row), leaving rows without a value out', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('sancionados');
    sheet.addRow(['PADRÓN DE SANCIONADOS']);
    sheet.addRow([]);
    sheet.addRow(['CURP', 'SANCIÓN']);
    sheet.addRow([{ richText: [{ text: A.slice(0, 9) }, { text: A.slice(9), font: { bold: true } }] }, { formula: '"INHABILITACION"', result: 'INHABILITACION' }]);
    const rows = await readListRows(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx', DEFAULT_XLSX_LIMITS);
    expect(rows).toEqual([
      { row: 1, cells: ['PADRÓN DE SANCIONADOS'] },
      { row: 3, cells: ['CURP', 'SANCIÓN'] },
      { row: 4, cells: [A, 'INHABILITACION'] },
    ]);
    expect(parseList('barred', rows).entries).toEqual([{ row: 4, curp: A, detail: 'INHABILITACION', score: null, trainingHours: null }]);
  });

  it('refuses a workbook that inflates past the limits of a request with XlsxTooLarge, not as unreadable', async () => {
    await expect(readListRows(xlsxBombs.manyParts(1, 40), 'xlsx', DEFAULT_XLSX_LIMITS)).rejects.toThrow(
      new XlsxTooLarge('XLSX_MAX_REQUEST_INFLATED_BYTES', 'the parts of the workbook inflate beyond 32 MiB together (reading xl/sharedStrings.xml)'),
    );
  });
});
