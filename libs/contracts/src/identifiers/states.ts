/** The 32 federal entities: INEGI code, official name, and the two-letter key used in CURP and CLUES. */
export const STATES = [
  { code: '01', name: 'Aguascalientes', abbr: 'AS' },
  { code: '02', name: 'Baja California', abbr: 'BC' },
  { code: '03', name: 'Baja California Sur', abbr: 'BS' },
  { code: '04', name: 'Campeche', abbr: 'CC' },
  { code: '05', name: 'Coahuila de Zaragoza', abbr: 'CL' },
  { code: '06', name: 'Colima', abbr: 'CM' },
  { code: '07', name: 'Chiapas', abbr: 'CS' },
  { code: '08', name: 'Chihuahua', abbr: 'CH' },
  { code: '09', name: 'Ciudad de México', abbr: 'DF' },
  { code: '10', name: 'Durango', abbr: 'DG' },
  { code: '11', name: 'Guanajuato', abbr: 'GT' },
  { code: '12', name: 'Guerrero', abbr: 'GR' },
  { code: '13', name: 'Hidalgo', abbr: 'HG' },
  { code: '14', name: 'Jalisco', abbr: 'JC' },
  { code: '15', name: 'México', abbr: 'MC' },
  { code: '16', name: 'Michoacán de Ocampo', abbr: 'MN' },
  { code: '17', name: 'Morelos', abbr: 'MS' },
  { code: '18', name: 'Nayarit', abbr: 'NT' },
  { code: '19', name: 'Nuevo León', abbr: 'NL' },
  { code: '20', name: 'Oaxaca', abbr: 'OC' },
  { code: '21', name: 'Puebla', abbr: 'PL' },
  { code: '22', name: 'Querétaro', abbr: 'QT' },
  { code: '23', name: 'Quintana Roo', abbr: 'QR' },
  { code: '24', name: 'San Luis Potosí', abbr: 'SP' },
  { code: '25', name: 'Sinaloa', abbr: 'SL' },
  { code: '26', name: 'Sonora', abbr: 'SR' },
  { code: '27', name: 'Tabasco', abbr: 'TC' },
  { code: '28', name: 'Tamaulipas', abbr: 'TS' },
  { code: '29', name: 'Tlaxcala', abbr: 'TL' },
  { code: '30', name: 'Veracruz de Ignacio de la Llave', abbr: 'VZ' },
  { code: '31', name: 'Yucatán', abbr: 'YN' },
  { code: '32', name: 'Zacatecas', abbr: 'ZS' },
] as const;

export type StateCode = (typeof STATES)[number]['code'];

const byCode = new Map<string, (typeof STATES)[number]>(STATES.map((s) => [s.code, s]));
const byAbbr = new Map<string, (typeof STATES)[number]>(STATES.map((s) => [s.abbr, s]));

/** True for an INEGI state code '01'..'32' (two digits, as a string). */
export function isStateCode(value: unknown): value is StateCode {
  return typeof value === 'string' && byCode.has(value);
}

/** The state with this INEGI code, or undefined. */
export function stateByCode(code: string) {
  return byCode.get(code);
}

/** The state whose CURP/CLUES two-letter key is `abbr` (e.g. 'HG' → Hidalgo), or undefined. */
export function stateByAbbr(abbr: string) {
  return byAbbr.get(abbr);
}
