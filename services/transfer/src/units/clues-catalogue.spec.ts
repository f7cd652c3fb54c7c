import { cellText, missingColumns, normalizeHeader, ownershipOf, parseCatalogueRow, readHeader } from './clues-catalogue';

// The header of the published catalogue (first columns), and of the re-registration file.
const HEADER = [
  'CLUES', 'CLAVE DE LA INSTITUCION', 'CLAVE DE LA ENTIDAD', 'ENTIDAD', 'CLAVE DEL MUNICIPIO', 'MUNICIPIO',
  'CLAVE DE LA LOCALIDAD', 'LOCALIDAD', 'NOMBRE TIPO ESTABLECIMIENTO', 'NOMBRE DE TIPOLOGIA', 'NOMBRE DE LA UNIDAD',
  'ESTATUS DE OPERACION', 'NIVEL ATENCION', 'ESTRATO UNIDAD', 'PROPIEDAD DEL INMUEBLE', 'LATITUD', 'LONGITUD',
];
const columns = readHeader(HEADER)!;
const row = (over: Partial<Record<string, unknown>> = {}) => {
  const base: Record<string, unknown> = {
    CLUES: 'HGSSA000016', 'CLAVE DE LA ENTIDAD': 13, 'CLAVE DEL MUNICIPIO': 1, 'CLAVE DE LA LOCALIDAD': 1, LOCALIDAD: 'ACATLAN',
    'NOMBRE TIPO ESTABLECIMIENTO': 'DE CONSULTA EXTERNA', 'NOMBRE DE TIPOLOGIA': 'URBANO DE 03 NÚCLEOS BÁSICOS',
    'NOMBRE DE LA UNIDAD': 'ACATLÁN', 'ESTATUS DE OPERACION': 'FUERA DE OPERACION', 'NIVEL ATENCION': 'PRIMER NIVEL',
    'ESTRATO UNIDAD': 'URBANO', 'PROPIEDAD DEL INMUEBLE': 'PROPIO', LATITUD: 20.144656, LONGITUD: -98.440023,
  };
  const values = { ...base, ...over };
  return HEADER.map((h) => values[h]);
};

describe('catalogue header', () => {
  it('matches published names whatever the accents, case, underscores and spacing', () => {
    expect(normalizeHeader('  Nombre  de la   Unidad ')).toBe('NOMBRE DE LA UNIDAD');
    expect(normalizeHeader('NOMBRE DE TIPOLOGÍA')).toBe('NOMBRE DE TIPOLOGIA');
    expect(readHeader(['clues_ssh', 'Clues', 'clave de la entidad', 'NOMBRE DE LA UNIDAD'])).toEqual({
      cluesSsh: 0,
      clues: 1,
      stateCode: 2,
      name: 3,
    });
  });

  it('finds the columns of the published file and ignores the others', () => {
    expect(columns).toMatchObject({ clues: 0, stateCode: 2, municipalityCode: 4, localityCode: 6, locality: 7, name: 10, latitude: 15 });
    expect(columns.cluesSsh).toBeUndefined();
  });

  it('is not a header without a CLUES column, and names the required columns it lacks', () => {
    expect(readHeader(['CATÁLOGO DE ESTABLECIMIENTOS', null])).toBeNull();
    expect(missingColumns(readHeader(['CLUES', 'ENTIDAD', 'NOMBRE'])!)).toEqual(['CLAVE DE LA ENTIDAD', 'NOMBRE DE LA UNIDAD']);
  });
});

describe('cell text', () => {
  it('reads strings, numbers, rich text, formulas and dates; trims and collapses spaces', () => {
    expect(cellText('  INDEPENDENCIA   NO.2 ')).toBe('INDEPENDENCIA NO.2');
    expect(cellText(13)).toBe('13');
    expect(cellText({ richText: [{ text: 'HGSSA' }, { text: '000016' }] })).toBe('HGSSA000016');
    expect(cellText({ formula: 'A1', result: 'X' })).toBe('X');
    expect(cellText(new Date('2024-07-18T00:00:00Z'))).toBe('2024-07-18');
    expect(cellText(null)).toBe('');
    expect(cellText({ error: '#N/A' })).toBe('');
  });
});

describe('catalogue row', () => {
  it('turns a published row into a unit with INEGI codes', () => {
    const { unit, errors } = parseCatalogueRow(row(), columns, 2, '13');
    expect(errors).toBeUndefined();
    expect(unit).toMatchObject({
      row: 2,
      clues: 'HGSSA000016',
      cluesSsh: null,
      stateCode: '13',
      institution: 'SSA',
      name: 'ACATLÁN',
      municipalityCode: '13001',
      localityCode: '130010001',
      latitude: 20.144656,
      longitude: -98.440023,
      ownership: 'propio',
      operationStatus: 'FUERA DE OPERACION',
    });
  });

  it('accepts CSV text the same way, full INEGI codes too, and gives the same row hash', () => {
    const fromCsv = row({ 'CLAVE DE LA ENTIDAD': '13', 'CLAVE DEL MUNICIPIO': '13001', 'CLAVE DE LA LOCALIDAD': '130010001', LATITUD: '20.144656', LONGITUD: '-98.440023', CLUES: 'hgssa000016 ' });
    const a = parseCatalogueRow(row(), columns, 2, '13').unit!;
    const b = parseCatalogueRow(fromCsv, columns, 9, '13').unit!;
    expect(b.clues).toBe('HGSSA000016');
    expect(b.rowHash).toBe(a.rowHash);
    expect(parseCatalogueRow(row({ 'NOMBRE DE LA UNIDAD': 'ACATLAN II' }), columns, 2, '13').unit!.rowHash).not.toBe(a.rowHash);
  });

  it('refuses a malformed CLUES, naming the column and the row', () => {
    expect(parseCatalogueRow(row({ CLUES: 'HGSSA00016' }), columns, 7, '13').errors).toEqual([
      { row: 7, field: 'CLUES', message: expect.stringMatching(/not a CLUES key/) },
    ]);
    expect(parseCatalogueRow(row({ CLUES: 'XXSSA000016' }), columns, 7, '13').errors![0].message).toMatch(/not a state key/);
  });

  it('refuses a unit of another state, and a state code that contradicts the CLUES', () => {
    const other = parseCatalogueRow(row({ CLUES: 'NTSSA000016', 'CLAVE DE LA ENTIDAD': 18 }), columns, 3, '13').errors!;
    expect(other).toEqual([{ row: 3, field: 'CLUES', message: expect.stringMatching(/unit of Nayarit \(18\), not of Hidalgo \(13\)/) }]);
    const contradiction = parseCatalogueRow(row({ 'CLAVE DE LA ENTIDAD': 14 }), columns, 3, null).errors!;
    expect(contradiction).toEqual([{ row: 3, field: 'CLAVE DE LA ENTIDAD', message: expect.stringMatching(/Jalisco \(14\).*Hidalgo \(13\)/) }]);
    // The national catalogue (no state in scope) takes every state.
    expect(parseCatalogueRow(row({ CLUES: 'NTSSA000016', 'CLAVE DE LA ENTIDAD': 18 }), columns, 3, null).unit?.stateCode).toBe('18');
  });

  it('refuses missing required values, and reports every problem of a row', () => {
    const { errors } = parseCatalogueRow(row({ CLUES: '', 'NOMBRE DE LA UNIDAD': '  ', 'CLAVE DE LA ENTIDAD': null, LATITUD: 200 }), columns, 4, '13');
    expect(errors!.map((e) => e.field)).toEqual(['CLUES', 'CLAVE DE LA ENTIDAD', 'NOMBRE DE LA UNIDAD', 'LATITUD']);
    expect(errors![0].message).toMatch(/empty/);
  });

  it('refuses codes and coordinates that are not what they claim, and over-long texts', () => {
    expect(parseCatalogueRow(row({ 'CLAVE DEL MUNICIPIO': 'ACATLAN' }), columns, 2, '13').errors![0].field).toBe('CLAVE DEL MUNICIPIO');
    expect(parseCatalogueRow(row({ 'CLAVE DEL MUNICIPIO': '14001' }), columns, 2, '13').errors![0].message).toMatch(/another state/);
    expect(parseCatalogueRow(row({ 'CLAVE DE LA LOCALIDAD': '140010001' }), columns, 2, '13').errors![0].field).toBe('CLAVE DE LA LOCALIDAD');
    expect(parseCatalogueRow(row({ LONGITUD: 'oeste' }), columns, 2, '13').errors![0].field).toBe('LONGITUD');
    expect(parseCatalogueRow(row({ 'NOMBRE DE LA UNIDAD': 'X'.repeat(301) }), columns, 2, '13').errors![0].message).toMatch(/at most 300/);
  });

  it('reads the old key of a re-registration row', () => {
    const reHeader = ['CLUES', 'CLUES_SSH', 'CLAVE DE LA ENTIDAD', 'NOMBRE DE LA UNIDAD'];
    const re = readHeader(reHeader)!;
    expect(parseCatalogueRow(['HGIMB000011', 'HGSSA000016', 13, 'ACATLÁN'], re, 2, '13').unit).toMatchObject({
      clues: 'HGIMB000011',
      cluesSsh: 'HGSSA000016',
      institution: 'IMB',
    });
    expect(parseCatalogueRow(['HGIMB002292', null, 13, 'CENTRO DE SALUD PIRACANTOS'], re, 3, '13').unit?.cluesSsh).toBeNull();
    expect(parseCatalogueRow(['HGIMB000011', 'NTSSA000016', 13, 'X'], re, 4, '13').errors![0]).toMatchObject({ field: 'CLUES_SSH' });
    expect(parseCatalogueRow(['HGIMB000011', 'HGIMB000011', 13, 'X'], re, 4, '13').errors![0].message).toMatch(/same key/);
  });
});

describe('ownership', () => {
  it('maps PROPIEDAD DEL INMUEBLE to the platform values', () => {
    expect(ownershipOf('PROPIO')).toBe('propio');
    expect(ownershipOf('DE COMODATO')).toBe('comodato');
    expect(ownershipOf('RENTADO')).toBe('rentado');
    expect(ownershipOf('POSESIÓN EJIDAL')).toBe('posesion-ejido');
    expect(ownershipOf('OTRO')).toBe('otro');
    expect(ownershipOf('NO ESPECIFICADO')).toBeNull();
    expect(ownershipOf('')).toBeNull();
  });
});
