import { curpCheckDigit, stateByCode } from '@imb/contracts';

/**
 * Generated payroll exports for the demo: posts of every category in the state's units, most of
 * them occupied by people with valid CURPs (check digit computed as RENAPO does), decided by the
 * row number so every run produces the same file.
 */

/** States whose staff the demo loads, and the share of each category's target already hired (public dashboards). */
export const DEMO_ROSTER_STATES: readonly { stateCode: string; hired: Record<'specialist' | 'general-practitioner' | 'nursing', number> }[] = [
  { stateCode: '18', hired: { specialist: 0.95, 'general-practitioner': 0.92, nursing: 0.84 } }, // Nayarit (published)
  { stateCode: '06', hired: { specialist: 0.85, 'general-practitioner': 0.92, nursing: 0.8 } }, // Colima (published)
  { stateCode: '13', hired: { specialist: 0.78, 'general-practitioner': 0.88, nursing: 0.81 } },
  { stateCode: '29', hired: { specialist: 0.82, 'general-practitioner': 0.9, nursing: 0.86 } },
  { stateCode: '12', hired: { specialist: 0.64, 'general-practitioner': 0.79, nursing: 0.72 } },
  { stateCode: '31', hired: { specialist: 0.41, 'general-practitioner': 0.55, nursing: 0.5 } },
];

/** Posts per unit in the generated roster. */
export const POSTS_PER_UNIT = 3;

const HEADER = 'PLAZA,CODIGO_PUESTO,CLUES,FINANCIADA,ESTATUS_PLAZA,CURP,RFC,NOMBRE,PROFESION,CEDULA,TIPO_CONTRATO,FECHA_INICIO,FECHA_FIN,ORIGEN';

// Out of every 20 posts: 2 specialists, 4 general practitioners, 8 nursing, 3 paramedical, 3 administrative.
const POSTS: readonly { code: string; profession: string }[] = [
  { code: 'M01004', profession: 'MEDICINA INTERNA' },
  { code: 'M01005', profession: 'PEDIATRIA' },
  ...Array.from({ length: 4 }, (_, i) => ({ code: i % 2 ? 'M01007' : 'M01006', profession: 'MEDICINA GENERAL' })),
  ...Array.from({ length: 8 }, (_, i) => ({ code: ['M02001', 'M02002', 'M02035', 'M02001'][i % 4], profession: 'ENFERMERIA' })),
  { code: 'M03006', profession: 'RADIOLOGIA' },
  { code: 'M03018', profession: 'ATENCION PRIMARIA' },
  { code: 'M03001', profession: 'QUIMICA' },
  ...Array.from({ length: 3 }, () => ({ code: 'A01806', profession: 'ADMINISTRACION' })),
];

const GIVEN = ['MARIA', 'JOSE', 'GUADALUPE', 'JUAN', 'ROSA', 'LUIS', 'ANA', 'CARLOS', 'LAURA', 'MIGUEL', 'SOFIA', 'PEDRO'];
const SURNAMES = ['HERNANDEZ', 'GARCIA', 'MARTINEZ', 'LOPEZ', 'GONZALEZ', 'PEREZ', 'RODRIGUEZ', 'SANCHEZ', 'RAMIREZ', 'CRUZ', 'FLORES', 'GOMEZ', 'MORALES', 'VAZQUEZ', 'REYES', 'JIMENEZ'];
const CONTRACTS = ['BASE', 'BASE', 'EVENTUAL', 'BASE', 'HONORARIOS', 'TEMPORAL', 'BASE', 'EVENTUAL', 'BASE', 'BASE'];
const DAYS_1970_TO_1999 = 10957;

const firstVowelAfterFirst = (s: string) => s.slice(1).match(/[AEIOU]/)?.[0] ?? 'X';
const firstConsonantAfterFirst = (s: string) => s.slice(1).match(/[B-DF-HJ-NP-TV-Z]/)?.[0] ?? 'X';

/** Person number n of a state: name, and a CURP valid by its structure and check digit, unique for n < 109,570. */
export function person(n: number, stateAbbr: string) {
  const given = GIVEN[n % GIVEN.length];
  const first = SURNAMES[Math.floor(n / GIVEN.length) % SURNAMES.length];
  const second = SURNAMES[(n * 7 + 3) % SURNAMES.length];
  const born = new Date(Date.UTC(1970, 0, 1) + (n % DAYS_1970_TO_1999) * 86400000);
  const yymmdd = born.toISOString().slice(2, 10).replace(/-/g, '');
  const sex = n % 2 ? 'H' : 'M';
  const homoclave = String(Math.floor(n / DAYS_1970_TO_1999) % 10);
  const first17 =
    `${first[0]}${firstVowelAfterFirst(first)}${second[0]}${given[0]}${yymmdd}${sex}${stateAbbr}` +
    `${firstConsonantAfterFirst(first)}${firstConsonantAfterFirst(second)}${firstConsonantAfterFirst(given)}${homoclave}`;
  const curp = first17 + curpCheckDigit(first17);
  return { name: `${given} ${first} ${second}`, curp, rfc: `${curp.slice(0, 10)}${String(n % 1000).padStart(3, '0')}` };
}

/** The state's payroll export as CSV: POSTS_PER_UNIT posts per unit key given, every 12th vacant. */
export function rosterCsv(stateCode: string, clues: readonly string[]): string {
  const abbr = stateByCode(stateCode)!.abbr;
  const lines = [HEADER];
  const rows = clues.length * POSTS_PER_UNIT;
  for (let i = 0; i < rows; i++) {
    const post = POSTS[i % POSTS.length];
    const plaza = `${abbr}${String(i + 1).padStart(7, '0')}`;
    const unit = clues[i % clues.length];
    if (i % 12 === 11) {
      lines.push(`${plaza},${post.code},${unit},SI,VACANTE,,,,,,,,,`);
      continue;
    }
    const p = person(i, abbr);
    const contract = CONTRACTS[i % CONTRACTS.length];
    const origin = post.code.startsWith('M0100') && i % 9 === 0 ? 'COOPERACION INTERNACIONAL' : 'ESTATAL';
    const start = `20${String(10 + (i % 13)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-01`;
    lines.push(`${plaza},${post.code},${unit},SI,OCUPADA,${p.curp},${p.rfc},${p.name},${post.profession},${7000000 + i},${contract},${start},,${origin}`);
  }
  return `${lines.join('\n')}\n`;
}
