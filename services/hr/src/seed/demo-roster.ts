import { curpCheckDigit, stateByCode } from '@imb/contracts';

/**
 * Generated payroll exports for the demo: posts of every category in the state's units, most of
 * them occupied by people with valid CURPs (check digit computed as RENAPO does), decided by the
 * row number so every run produces the same file.
 */

type Category = 'specialist' | 'general-practitioner' | 'nursing' | 'paramedic' | 'administrative';

/**
 * States whose staff the demo loads, and the percent of each category's target already hired.
 * `published` marks the figures of the public hiring dashboards (specialists / general
 * practitioners / nursing); the others, and every paramedic and administrative figure, are
 * generated.
 */
export const DEMO_ROSTER_STATES: readonly { stateCode: string; published: boolean; hired: Record<'specialist' | 'general-practitioner' | 'nursing', number> }[] = [
  { stateCode: '18', published: true, hired: { specialist: 95, 'general-practitioner': 92, nursing: 84 } }, // Nayarit
  { stateCode: '29', published: true, hired: { specialist: 90, 'general-practitioner': 100, nursing: 90 } }, // Tlaxcala
  { stateCode: '06', published: true, hired: { specialist: 85, 'general-practitioner': 92, nursing: 80 } }, // Colima
  { stateCode: '03', published: true, hired: { specialist: 95, 'general-practitioner': 96, nursing: 81 } }, // Baja California Sur
  { stateCode: '13', published: false, hired: { specialist: 78, 'general-practitioner': 88, nursing: 81 } }, // Hidalgo
  { stateCode: '12', published: false, hired: { specialist: 64, 'general-practitioner': 79, nursing: 72 } }, // Guerrero
  { stateCode: '31', published: false, hired: { specialist: 40, 'general-practitioner': 55, nursing: 50 } }, // Yucatán
];

/** Percent hired of the categories the public dashboards do not report (generated). */
const OTHER_HIRED: Record<'paramedic' | 'administrative', number> = { paramedic: 90, administrative: 90 };

/** Posts per unit in the generated roster. */
export const POSTS_PER_UNIT = 3;

const HEADER = 'PLAZA,CODIGO_PUESTO,CLUES,FINANCIADA,ESTATUS_PLAZA,CURP,RFC,NOMBRE,PROFESION,CEDULA,TIPO_CONTRATO,FECHA_INICIO,FECHA_FIN,ORIGEN';

// Out of every 20 posts: 2 specialists, 4 general practitioners, 8 nursing, 3 paramedical, 3 administrative.
const POSTS: readonly { code: string; profession: string; category: Category }[] = [
  { code: 'M01004', profession: 'MEDICINA INTERNA', category: 'specialist' },
  { code: 'M01005', profession: 'PEDIATRIA', category: 'specialist' },
  ...Array.from({ length: 4 }, (_, i) => ({ code: i % 2 ? 'M01007' : 'M01006', profession: 'MEDICINA GENERAL', category: 'general-practitioner' as const })),
  ...Array.from({ length: 8 }, (_, i) => ({ code: ['M02001', 'M02002', 'M02035', 'M02001'][i % 4], profession: 'ENFERMERIA', category: 'nursing' as const })),
  { code: 'M03006', profession: 'RADIOLOGIA', category: 'paramedic' },
  { code: 'M03018', profession: 'ATENCION PRIMARIA', category: 'paramedic' },
  { code: 'M03001', profession: 'QUIMICA', category: 'paramedic' },
  ...Array.from({ length: 3 }, () => ({ code: 'A01806', profession: 'ADMINISTRACION', category: 'administrative' as const })),
];

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/**
 * The hiring target and occupied posts of one category so that occupied / target is exactly
 * `percent` (the dashboard shows one decimal: 95 % must read 95.0, not 94.9): the target is the
 * largest multiple of 100 / gcd(percent, 100) that the category's posts allow.
 */
export function exactShare(posts: number, percent: number): { target: number; occupied: number } {
  const step = 100 / gcd(percent, 100);
  const target = Math.floor(posts / step) * step;
  if (target === 0) throw new Error(`${posts} posts cannot show exactly ${percent} % (at least ${step} are needed)`);
  return { target, occupied: (target * percent) / 100 };
}

/**
 * The state's demo staffing for the given unit keys: the payroll export (CSV) and the hiring
 * target of each category, such that the state's hiring progress reads exactly its percentages.
 */
export function demoStaffing(stateCode: string, clues: readonly string[], hired: Record<'specialist' | 'general-practitioner' | 'nursing', number>) {
  const percents: Record<Category, number> = { ...hired, ...OTHER_HIRED };
  const rows = clues.length * POSTS_PER_UNIT;
  const posts = new Map<Category, number>();
  for (let i = 0; i < rows; i++) posts.set(POSTS[i % POSTS.length].category, (posts.get(POSTS[i % POSTS.length].category) ?? 0) + 1);
  const shares = new Map([...posts].map(([category, n]) => [category, exactShare(n, percents[category])]));
  return {
    csv: rosterCsv(stateCode, clues, (category) => shares.get(category)!.occupied),
    targets: [...shares].map(([category, share]) => ({ category, target: share.target })),
  };
}
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

/**
 * The state's payroll export as CSV: POSTS_PER_UNIT posts per unit key given; the first
 * `occupied(category)` posts of each category are occupied, the rest vacant.
 */
export function rosterCsv(stateCode: string, clues: readonly string[], occupied: (category: Category) => number): string {
  const abbr = stateByCode(stateCode)!.abbr;
  const lines = [HEADER];
  const rows = clues.length * POSTS_PER_UNIT;
  const filled = new Map<Category, number>();
  for (let i = 0; i < rows; i++) {
    const post = POSTS[i % POSTS.length];
    const plaza = `${abbr}${String(i + 1).padStart(7, '0')}`;
    const unit = clues[i % clues.length];
    const n = filled.get(post.category) ?? 0;
    if (n >= occupied(post.category)) {
      lines.push(`${plaza},${post.code},${unit},SI,VACANTE,,,,,,,,,`);
      continue;
    }
    filled.set(post.category, n + 1);
    const p = person(i, abbr);
    const contract = CONTRACTS[i % CONTRACTS.length];
    const origin = post.code.startsWith('M0100') && i % 9 === 0 ? 'COOPERACION INTERNACIONAL' : 'ESTATAL';
    const start = `20${String(10 + (i % 13)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-01`;
    lines.push(`${plaza},${post.code},${unit},SI,OCUPADA,${p.curp},${p.rfc},${p.name},${post.profession},${7000000 + i},${contract},${start},,${origin}`);
  }
  return `${lines.join('\n')}\n`;
}
