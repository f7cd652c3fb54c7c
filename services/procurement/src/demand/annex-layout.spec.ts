import { columnIndex, columnLetter, detectLayout, layoutFromMapping, parseRow } from './annex-layout';
import { parseQuantity } from './quantity';
import { adheredStateColumn, stateCodeOfName } from './state-columns';

describe('parseQuantity', () => {
  it.each([
    [286, 286],
    ['1,234', 1234],
    ['1,234,567 ', 1234567],
    [' 12 500 ', 12500],
    ['12\u00a0500', 12500],
    ['1.234.567', 1234567],
    ['715 ', 715],
    ['40.00', 40],
    [null, 0],
    ['', 0],
    ['-', 0],
    [{ formula: 'C10+E10', result: 6473 }, 6473],
  ])('reads %j as %d', (cell, value) => {
    expect(parseQuantity(cell)).toEqual({ value });
  });

  it.each([['12,34'], ['abc'], [-3], [2.5], ['1.5']])('refuses %j with a reason', (cell) => {
    const parsed = parseQuantity(cell);
    expect('problem' in parsed && parsed.problem.length > 0).toBe(true);
  });
});

describe('state columns', () => {
  it.each([
    ['IMSS BIENESTAR EF_ADHERIDA_HIDALGO', '13'],
    ['IMSS BIENESTAR EF_ADHERIDA_CIUDAD_DE_MEXICO', '09'],
    ['IMSS BIENESTAR EF_ADHERIDA_MEXICO', '15'],
    ['IMSS BIENESTAR EF_ADHERIDA_SAN_LUIS_POTOSI', '24'],
    ['imss bienestar ef_adherida_michoacán', '16'],
    ['IMSS BIENESTAR  EF_ADHERIDA_ VERACRUZ ', '30'],
    ['IMSS-BIENESTAR EF ADHERIDA BAJA CALIFORNIA SUR', '03'],
  ])('maps %s to %s', (title, code) => {
    expect(adheredStateColumn(title)?.stateCode).toBe(code);
  });

  it('leaves other institutions without a state, and names an unknown state', () => {
    expect(adheredStateColumn('IMSS BIENESTAR HOSPITAL_EX_INSABI_TEKAX_DE_YUCATAN')).toBeNull();
    expect(adheredStateColumn('ISSSTE')).toBeNull();
    expect(adheredStateColumn('IMSS BIENESTAR EF_ADHERIDA_ATLANTIDA')).toEqual({ stateName: 'ATLANTIDA', stateCode: undefined });
    expect(stateCodeOfName('Yucatán')).toBe('31');
  });
});

describe('detectLayout', () => {
  const blank = (n: number) => Array.from({ length: n }, (_, i) => ({ row: i + 1, cells: [] as unknown[] }));

  it('finds the 2027-2028 layout: institutions in the row above CLAVE/MIN/MAX, and the TOTALES pair', () => {
    const rows = [
      ...blank(7),
      { row: 8, cells: [null, null, 'IMSS', null, 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', null, 'TOTALES'] },
      { row: 9, cells: ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX', 'MIN', 'MAX'] },
    ];
    const layout = detectLayout(rows);
    expect(layout).toMatchObject({
      headerRow: 9,
      firstDataRow: 10,
      clave: 0,
      description: 1,
      totals: { min: 6, max: 7 },
      institutions: [
        { name: 'IMSS', min: 2, max: 3, stateCode: null },
        { name: 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', min: 4, max: 5, stateCode: '13' },
      ],
    });
  });

  it('finds the 2025-2026 layout: a 3-row header, years above, money pairs skipped even when merged', () => {
    const rows = [
      { row: 1, cells: ['Anexo'] },
      { row: 2, cells: [null, null, null, null, null, null, null, null, 2025, null, 2026, null, null, null, null, null, 2025, null, 2026] },
      { row: 3, cells: ['No. Partida', 'Clave', 'CUCoP', 'CUCoP +', 'Descripción del bien ofertado', 'Presentación ofertada', null, null, 'Cantidad Solicitada', null, 'Cantidad Solicitada', null, 'Unidad de Medida', null, null, null, 'Importe total'] },
      { row: 4, cells: [null, null, null, null, null, 'Uni', 'Cant', 'Tipo', 'Mínimo', 'Máximo', 'Mínimo', 'Máximo', null, null, null, null, 'Mínimo', 'Máximo', 'Mínimo', 'Máximo'] },
    ];
    const layout = detectLayout(rows);
    expect(layout).toMatchObject({
      headerRow: 4,
      firstDataRow: 5,
      clave: 1,
      cucop: 2,
      description: 4,
      unit: 12,
      totals: null,
      skipped: ['Importe total 2025', 'Importe total 2026'],
      institutions: [
        { name: 'Cantidad Solicitada 2025', min: 8, max: 9 },
        { name: 'Cantidad Solicitada 2026', min: 10, max: 11 },
      ],
    });
  });

  it('says why when there is no CLAVE column or no MIN/MAX pairs', () => {
    expect(detectLayout([{ row: 1, cells: ['hello', 'world'] }])).toEqual({ problem: expect.stringContaining('no header row with a CLAVE column') });
    expect(detectLayout([{ row: 1, cells: ['CLAVE', 'DESCRIPCION', 'CANTIDAD'] }])).toEqual({ problem: expect.stringContaining('no MIN/MAX column pairs') });
  });
});

describe('parseRow', () => {
  const layout = detectLayout([
    { row: 1, cells: [null, null, 'IMSS', null, 'ISSSTE', null, 'TOTALES'] },
    { row: 2, cells: ['CLAVE', 'DESCRIPCIÓN', 'MIN', 'MAX', 'MIN', 'MAX', 'MIN', 'MAX'] },
  ]);
  if ('problem' in layout) throw new Error(layout.problem);

  it('reads the lines and checks the published totals', () => {
    const ok = parseRow(['010.000.4272.00', 'ABACAVIR', '1,000 ', 2500, 14, '34', { formula: 'C3+E3', result: 1014 }, 2534], layout);
    expect(ok.errors).toEqual([]);
    expect(ok.totalsMismatch).toEqual([]);
    expect(ok.lines).toEqual([
      { institution: 'IMSS', stateCode: null, min: 1000, max: 2500 },
      { institution: 'ISSSTE', stateCode: null, min: 14, max: 34 },
    ]);
  });

  it('reports a total that differs from the sum of its parts, and refuses bad claves and quantities', () => {
    const off = parseRow(['010.000.4272.00', 'ABACAVIR', 1000, 2500, 14, 34, 1014, 2535], layout);
    expect(off.totalsMismatch).toEqual([{ field: 'TOTALES MAX', message: 'the published total 2535 differs from the sum of the institutions, 2534' }]);
    const bad = parseRow(['999.000.1', 'X', 'n/a', 5, 6, 2, 0, 0], layout);
    expect(bad.errors.map((e) => e.field)).toEqual(['CLAVE', 'IMSS MIN', 'ISSSTE MIN']);
  });
});

describe('columns and mappings', () => {
  it('converts column letters both ways', () => {
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(125)).toBe('DV');
    expect(columnIndex('DV')).toBe(125);
    expect(columnIndex(3)).toBe(2);
    expect(columnIndex('A1')).toBeUndefined();
  });

  it('builds a layout from a mapping and refuses a bad one', () => {
    const layout = layoutFromMapping({ headerRow: 3, clave: 'A', description: 'B', institutions: [{ name: 'IMSS BIENESTAR EF_ADHERIDA_OAXACA', min: 'C', max: 'D' }] });
    expect(layout).toMatchObject({ firstDataRow: 4, clave: 0, institutions: [{ min: 2, max: 3, stateCode: '20' }] });
    expect(layoutFromMapping({ headerRow: 3, clave: '??', institutions: [{ name: 'X', min: 'C', max: 'D' }, { name: 'X', min: 'E', max: 'F' }] })).toEqual({
      problem: expect.stringMatching(/clave: "\?\?" is not a column.*"X" is mapped twice/),
    });
  });
});
