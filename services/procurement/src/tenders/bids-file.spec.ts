import ExcelJS from 'exceljs';
import { DEFAULT_XLSX_LIMITS, XlsxTooLarge } from '@imb/platform';
import { xlsxBombs } from '@imb/testing';
import { BidFileProblem, parseAmount, parseBidRows, readBidFile } from './bids-file';

describe('bid files', () => {
  it('parses amounts with thousands separators and stray spaces', () => {
    expect(parseAmount('1,250.50 ')).toBe(1250.5);
    expect(parseAmount(' 12 000 ')).toBe(12000);
    expect(parseAmount(7)).toBe(7);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('abc')).toBeNaN();
  });

  it('finds the header, keeps missing values, and reports each bad row', async () => {
    const csv = [
      'Licitación 2027-2028;;;',
      'RFC del proveedor;Clave;Precio unitario;Cantidad ofertada',
      'LAB010101AB1;010.000.0104.00;"1,250.50";100',
      'LAB010101AB1;010.000.0104.00;1;1',
      'XX;010.000.0104.00;1;1',
      'LAB010101AB1;999.000.0104.00;-3;1.5',
      ';;;',
      'MED020202CD3;060.345.3440;;',
    ].join('\n');
    const out = parseBidRows(await readBidFile(Buffer.from(csv), 'csv', DEFAULT_XLSX_LIMITS));
    expect(out.rows).toBe(5);
    expect(out.badRows).toBe(3);
    expect(out.bids).toEqual([
      { row: 3, supplierRfc: 'LAB010101AB1', clave: '010.000.0104.00', unitPrice: 1250.5, offeredQuantity: 100 },
      { row: 8, supplierRfc: 'MED020202CD3', clave: '060.345.3440', unitPrice: null, offeredQuantity: null },
    ]);
    expect(out.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'CLAVE'],
      [5, 'RFC'],
      [6, 'CLAVE'],
      [6, 'PRECIO UNITARIO'],
      [6, 'CANTIDAD OFERTADA'],
    ]);
    expect(out.errors[0].message).toBe('repeats the bid of LAB010101AB1 for 010.000.0104.00 of row 3; only the first is imported');
  });

  it('reads a workbook: rich text and formula results as their text and values, rows without a value left out', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Propuestas');
    ws.addRow(['RFC', 'CLAVE', 'PRECIO UNITARIO', 'CANTIDAD OFERTADA']);
    ws.addRow([]);
    ws.addRow([{ richText: [{ text: 'LAB010101' }, { text: 'AB1', font: { bold: true } }] }, '010.000.0104.00', { formula: '1000+250.5', result: 1250.5 }, 100]);
    const out = parseBidRows(await readBidFile(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx', DEFAULT_XLSX_LIMITS));
    expect(out.bids).toEqual([{ row: 3, supplierRfc: 'LAB010101AB1', clave: '010.000.0104.00', unitPrice: 1250.5, offeredQuantity: 100 }]);
  });

  it('refuses a workbook that inflates past its limits with XlsxTooLarge, naming the limit', async () => {
    await expect(readBidFile(xlsxBombs.zeros(), 'xlsx', DEFAULT_XLSX_LIMITS)).rejects.toThrow(XlsxTooLarge);
    await expect(readBidFile(xlsxBombs.zeros(), 'xlsx', DEFAULT_XLSX_LIMITS)).rejects.toThrow(/\(limit XLSX_MAX_COMPRESSION_RATIO\)$/);
  });

  it('refuses a file without the header or with a column missing', async () => {
    expect(() => parseBidRows([{ row: 1, cells: ['a', 'b'] }])).toThrow(BidFileProblem);
    expect(() => parseBidRows([{ row: 1, cells: ['RFC', 'CLAVE', 'PRECIO'] }])).toThrow('MISSING_COLUMNS: the header (row 1) has no column CANTIDAD OFERTADA');
  });
});
