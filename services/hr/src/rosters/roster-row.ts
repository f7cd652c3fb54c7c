import { cluesProblem, curpProblem, rfcProblem } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { postCodeProblem } from '../post-codes/post-code';

/**
 * One row of a state's payroll export: a post (plaza) and, when occupied, the person in it and
 * their contract. Column names are matched without accents, case or spacing, with the usual
 * spellings of the state exports as aliases.
 */

export const POST_STATUSES = ['vacant', 'occupied', 'frozen'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const CONTRACT_TYPES = ['eventual', 'honorarios', 'temporal', 'base'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export const CONTRACT_ORIGINS = ['state-payroll', 'federal', 'international-cooperation'] as const;
export type ContractOrigin = (typeof CONTRACT_ORIGINS)[number];

/** A valid roster row, ready to be written. Worker and contract fields are null for a vacant or frozen post. */
export interface RosterRow {
  row: number;
  postNumber: string;
  postCode: string;
  clues: string;
  funded: boolean;
  postStatus: PostStatus;
  worker: { curp: string; rfc: string | null; name: string; profession: string | null; licence: string | null } | null;
  contract: { type: ContractType; origin: ContractOrigin; startsOn: string; endsOn: string | null } | null;
}

export const ROSTER_COLUMNS = {
  postNumber: { label: 'PLAZA', aliases: ['PLAZA', 'NUM PLAZA', 'NUMERO PLAZA', 'CLAVE PLAZA'], required: true },
  postCode: { label: 'CODIGO_PUESTO', aliases: ['CODIGO PUESTO', 'CODIGO DE PUESTO', 'CODIGO', 'PUESTO'], required: true },
  clues: { label: 'CLUES', aliases: ['CLUES'], required: true },
  funded: { label: 'FINANCIADA', aliases: ['FINANCIADA', 'PRESUPUESTADA'], required: false },
  postStatus: { label: 'ESTATUS_PLAZA', aliases: ['ESTATUS PLAZA', 'ESTATUS', 'SITUACION PLAZA'], required: false },
  curp: { label: 'CURP', aliases: ['CURP'], required: true },
  rfc: { label: 'RFC', aliases: ['RFC'], required: false },
  name: { label: 'NOMBRE', aliases: ['NOMBRE', 'NOMBRE COMPLETO'], required: true },
  profession: { label: 'PROFESION', aliases: ['PROFESION', 'CARRERA'], required: false },
  licence: { label: 'CEDULA', aliases: ['CEDULA', 'CEDULA PROFESIONAL'], required: false },
  contractType: { label: 'TIPO_CONTRATO', aliases: ['TIPO CONTRATO', 'TIPO DE CONTRATO', 'CONTRATACION'], required: true },
  startsOn: { label: 'FECHA_INICIO', aliases: ['FECHA INICIO', 'FECHA INGRESO', 'INICIO'], required: true },
  endsOn: { label: 'FECHA_FIN', aliases: ['FECHA FIN', 'FECHA TERMINO', 'FIN'], required: false },
  origin: { label: 'ORIGEN', aliases: ['ORIGEN', 'ORIGEN CONTRATACION', 'FUENTE'], required: false },
} as const;

export type RosterField = keyof typeof ROSTER_COLUMNS;
export type RosterColumns = Partial<Record<RosterField, number>>;

/** A cell as trimmed text: numbers and dates printed, exceljs rich text and hyperlinks unwrapped. */
const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v && Array.isArray(v.richText)) {
    return (v.richText as { text: string }[]).map((r) => r.text).join('').trim();
  }
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text.trim();
  if (typeof v === 'object' && 'result' in v) return text(v.result);
  return '';
};

const normalizeText = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[_\s.]+/g, ' ')
    .trim();

/**
 * Normalized words of the coded columns (SI, OCUPADA, EVENTUAL, ESTATAL…): a roster repeats a
 * handful of spellings on every row, so each is normalized once. Bounded, for files that do not.
 */
const normalizedWords = new Map<string, string>();
const normalize = (v: unknown) => {
  const s = text(v);
  let word = normalizedWords.get(s);
  if (word === undefined) {
    if (normalizedWords.size >= 1000) normalizedWords.clear();
    word = normalizeText(s);
    normalizedWords.set(s, word);
  }
  return word;
};

/** Column positions of a header row, or null when the row has no CURP and no PLAZA column. */
export function readRosterHeader(cells: readonly unknown[]): RosterColumns | null {
  const columns: RosterColumns = {};
  cells.forEach((cell, i) => {
    const name = normalize(cell);
    for (const [field, def] of Object.entries(ROSTER_COLUMNS) as [RosterField, (typeof ROSTER_COLUMNS)[RosterField]][]) {
      if (columns[field] === undefined && (def.aliases as readonly string[]).includes(name)) {
        columns[field] = i;
        break;
      }
    }
  });
  return columns.curp !== undefined && columns.postNumber !== undefined ? columns : null;
}

/** Labels of the required columns the header lacks. */
export function missingRosterColumns(columns: RosterColumns): string[] {
  return (Object.entries(ROSTER_COLUMNS) as [RosterField, (typeof ROSTER_COLUMNS)[RosterField]][])
    .filter(([field, def]) => def.required && columns[field] === undefined)
    .map(([, def]) => def.label);
}

const STATUS_WORDS: Record<string, PostStatus> = {
  VACANTE: 'vacant', VACANT: 'vacant', OCUPADA: 'occupied', OCUPADO: 'occupied', OCCUPIED: 'occupied',
  CONGELADA: 'frozen', CONGELADO: 'frozen', FROZEN: 'frozen',
};
const CONTRACT_WORDS: Record<string, ContractType> = {
  EVENTUAL: 'eventual', HONORARIOS: 'honorarios', 'HONORARIOS ASIMILABLES': 'honorarios', TEMPORAL: 'temporal',
  PRECARIO: 'temporal', BASE: 'base', NOMBRAMIENTO: 'base', DEFINITIVO: 'base',
};
const ORIGIN_WORDS: Record<string, ContractOrigin> = {
  ESTATAL: 'state-payroll', 'NOMINA ESTATAL': 'state-payroll', 'STATE PAYROLL': 'state-payroll', 'STATE-PAYROLL': 'state-payroll',
  FEDERAL: 'federal', 'NOMINA FEDERAL': 'federal', 'COOPERACION INTERNACIONAL': 'international-cooperation',
  CONVENIO: 'international-cooperation', 'CONVENIO INTERNACIONAL': 'international-cooperation',
  'INTERNATIONAL-COOPERATION': 'international-cooperation',
};
const YES = new Set(['SI', 'S', 'TRUE', '1', 'YES', 'X']);
const NO = new Set(['NO', 'N', 'FALSE', '0']);

/** A date cell as YYYY-MM-DD: Excel dates, ISO dates and DD/MM/YYYY; null when unreadable. */
export function parseRosterDate(v: unknown): string | null {
  const s = text(v);
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Validates one data row. Either `row` is set, or `errors` lists every problem found (the row is
 * then refused as a whole).
 */
export function parseRosterRow(cells: readonly unknown[], columns: RosterColumns, row: number): { row?: RosterRow; errors: JobRowError[] } {
  const errors: JobRowError[] = [];
  const cell = (f: RosterField) => (columns[f] === undefined ? '' : text(cells[columns[f]]));
  const fail = (f: RosterField, message: string) => errors.push({ row, field: ROSTER_COLUMNS[f].label, message });
  // PostgreSQL refuses text with NUL: a cell holding one is this row's error, not the whole import's.
  const withNul = (Object.keys(columns) as RosterField[]).filter((f) => columns[f] !== undefined && cell(f).includes('\u0000'));
  if (withNul.length) {
    for (const f of withNul) fail(f, `${ROSTER_COLUMNS[f].label} contains a NUL character (a damaged or binary cell)`);
    return { errors };
  }
  const required = (f: RosterField) => {
    const v = cell(f);
    if (!v) fail(f, `${ROSTER_COLUMNS[f].label} is empty`);
    return v;
  };

  const postNumber = required('postNumber');
  const postCode = required('postCode').toUpperCase();
  const postCodeError = postCode ? postCodeProblem(postCode) : null;
  if (postCodeError) fail('postCode', postCodeError);
  const clues = required('clues').toUpperCase();
  const cluesError = clues ? cluesProblem(clues) : null;
  if (cluesError) fail('clues', cluesError);

  const fundedText = normalize(cell('funded'));
  let funded = true;
  if (fundedText && YES.has(fundedText)) funded = true;
  else if (fundedText && NO.has(fundedText)) funded = false;
  else if (fundedText) fail('funded', `"${cell('funded')}" is not SI or NO`);

  const curp = cell('curp').toUpperCase();
  const statusText = normalize(cell('postStatus'));
  let postStatus: PostStatus = curp ? 'occupied' : 'vacant';
  if (statusText) {
    const s = STATUS_WORDS[statusText] as PostStatus | undefined;
    if (s) postStatus = s;
    else fail('postStatus', `"${cell('postStatus')}" is not VACANTE, OCUPADA or CONGELADA`);
  }

  let worker: RosterRow['worker'] = null;
  let contract: RosterRow['contract'] = null;
  if (postStatus === 'occupied') {
    const curpError = curp ? curpProblem(curp) : 'CURP is empty but the post is occupied';
    if (curpError) fail('curp', curpError);
    const rfc = cell('rfc').toUpperCase() || null;
    const rfcError = rfc ? rfcProblem(rfc) : null;
    if (rfcError) fail('rfc', rfcError);
    const name = required('name');
    const typeText = normalize(required('contractType'));
    const type = CONTRACT_WORDS[typeText] as ContractType | undefined;
    if (typeText && !type) fail('contractType', `"${cell('contractType')}" is not EVENTUAL, HONORARIOS, TEMPORAL or BASE`);
    const startText = required('startsOn');
    const startsOn = startText ? parseRosterDate(startText) : null;
    if (startText && !startsOn) fail('startsOn', `"${startText}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    const endText = cell('endsOn');
    const endsOn = endText ? parseRosterDate(endText) : null;
    if (endText && !endsOn) fail('endsOn', `"${endText}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    if (startsOn && endsOn && endsOn < startsOn) fail('endsOn', `ends on ${endsOn}, before it starts (${startsOn})`);
    const originText = normalize(cell('origin'));
    const origin: ContractOrigin | undefined = originText ? ORIGIN_WORDS[originText] : 'state-payroll';
    if (!origin) fail('origin', `"${cell('origin')}" is not ESTATAL, FEDERAL or COOPERACION INTERNACIONAL`);
    if (!errors.length) {
      worker = { curp, rfc, name: name.slice(0, 300), profession: cell('profession').slice(0, 200) || null, licence: cell('licence').slice(0, 30) || null };
      contract = { type: type!, origin: origin, startsOn: startsOn!, endsOn };
    }
  } else if (curp) {
    fail('curp', `a ${postStatus} post has nobody in it: leave CURP empty or mark the post OCUPADA`);
  }
  if (errors.length) return { errors };
  return { row: { row, postNumber: postNumber.slice(0, 50), postCode, clues, funded, postStatus, worker, contract }, errors };
}
