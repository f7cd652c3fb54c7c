import { curpCheckDigit } from '@imb/contracts';
import { missingRosterColumns, parseRosterDate, parseRosterRow, readRosterHeader } from './roster-row';

const header = ['Plaza', 'Código de puesto', 'CLUES', 'Financiada', 'Estatus plaza', 'CURP', 'RFC', 'Nombre', 'Profesión', 'Cédula', 'Tipo contrato', 'Fecha inicio', 'Fecha fin', 'Origen'];
const body = 'GOMA850101HNTRRN0';
const curp = body + curpCheckDigit(body);
const row = (overrides: Partial<Record<string, unknown>> = {}) => {
  const values: Record<string, unknown> = {
    Plaza: 'P1', 'Código de puesto': 'M01006', CLUES: 'NTSSA000001', Financiada: 'SI', 'Estatus plaza': 'OCUPADA', CURP: curp,
    RFC: 'GOMA850101AB1', Nombre: 'ANA GOMEZ', Profesión: 'MEDICINA', Cédula: '1234567', 'Tipo contrato': 'Eventual',
    'Fecha inicio': '15/01/2020', 'Fecha fin': '', Origen: 'Cooperación internacional', ...overrides,
  };
  return header.map((h) => values[h]);
};

describe('roster rows', () => {
  const columns = readRosterHeader(header)!;

  it('finds the columns whatever their accents, case and spacing', () => {
    expect(columns).toMatchObject({ postNumber: 0, postCode: 1, clues: 2, curp: 5, startsOn: 11, origin: 13 });
    expect(missingRosterColumns(columns)).toEqual([]);
    expect(missingRosterColumns(readRosterHeader(['CURP', 'PLAZA'])!)).toEqual(['CODIGO_PUESTO', 'CLUES', 'NOMBRE', 'TIPO_CONTRATO', 'FECHA_INICIO']);
    expect(readRosterHeader(['NOMBRE', 'RFC'])).toBeNull();
  });

  it('reads an occupied post with its person and contract', () => {
    expect(parseRosterRow(row(), columns, 2)).toEqual({
      row: {
        row: 2, postNumber: 'P1', postCode: 'M01006', clues: 'NTSSA000001', funded: true, postStatus: 'occupied',
        worker: { curp, rfc: 'GOMA850101AB1', name: 'ANA GOMEZ', profession: 'MEDICINA', licence: '1234567' },
        contract: { type: 'eventual', origin: 'international-cooperation', startsOn: '2020-01-15', endsOn: null },
      },
      errors: [],
    });
  });

  it('refuses only its own row for a cell with a NUL character, naming the column', () => {
    expect(parseRosterRow(row({ Nombre: 'ANA\u0000GOMEZ' }), columns, 7)).toEqual({
      errors: [{ row: 7, field: expect.stringMatching(/NOMBRE/i), message: expect.stringMatching(/NUL character/) }],
    });
  });

  it('reads a vacant post without a person', () => {
    const parsed = parseRosterRow(row({ 'Estatus plaza': 'Vacante', CURP: '', Nombre: '', 'Tipo contrato': '', 'Fecha inicio': '', Financiada: 'NO' }), columns, 3);
    expect(parsed.row).toMatchObject({ postStatus: 'vacant', funded: false, worker: null, contract: null });
  });

  it('refuses a bad check digit, a missing name and an unreadable date, each by field', () => {
    const bad = curp.slice(0, 17) + String((Number(curp[17]) + 1) % 10);
    const parsed = parseRosterRow(row({ CURP: bad, Nombre: '', 'Fecha inicio': '31/02/2020' }), columns, 7);
    expect(parsed.row).toBeUndefined();
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([
      [7, 'CURP'],
      [7, 'NOMBRE'],
      [7, 'FECHA_INICIO'],
    ]);
    expect(parsed.errors[0].message).toMatch(/check digit/);
  });

  it('refuses a person in a frozen post and unknown words', () => {
    expect(parseRosterRow(row({ 'Estatus plaza': 'CONGELADA' }), columns, 4).errors[0]).toMatchObject({ field: 'CURP' });
    expect(parseRosterRow(row({ 'Tipo contrato': 'PERMANENTE' }), columns, 4).errors[0]).toMatchObject({ field: 'TIPO_CONTRATO' });
    expect(parseRosterRow(row({ CLUES: 'NT123' }), columns, 4).errors[0]).toMatchObject({ field: 'CLUES' });
  });

  it('reads dates as Excel and as people write them', () => {
    expect(parseRosterDate(new Date(Date.UTC(2021, 5, 30)))).toBe('2021-06-30');
    expect(parseRosterDate('2021-06-30')).toBe('2021-06-30');
    expect(parseRosterDate('1/7/2021')).toBe('2021-07-01');
    expect(parseRosterDate('2021-02-30')).toBeNull();
  });
});
