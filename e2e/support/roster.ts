import { curpCheckDigit } from '@imb/contracts';

/**
 * Generates a state's payroll export with faults planted at known rows, so an import's report
 * can be checked row by row. Row i (0-based) of the data is file row i + 2 (row 1 is the header).
 */

export const ROSTER_HEADER = 'PLAZA,CODIGO_PUESTO,CLUES,FINANCIADA,ESTATUS_PLAZA,CURP,RFC,NOMBRE,PROFESION,CEDULA,TIPO_CONTRATO,FECHA_INICIO,FECHA_FIN,ORIGEN';

export type PlantedFault = 'check-digit' | 'duplicate-curp' | 'unknown-clues' | 'missing-name' | 'unknown-post-code';

/** Which fault (if any) row i carries: one of each kind in every 1000 rows. */
export function plantedFault(i: number): PlantedFault | null {
  switch (i % 1000) {
    case 101:
      return 'check-digit';
    case 303:
      return 'duplicate-curp';
    case 505:
      return 'unknown-clues';
    case 707:
      return 'missing-name';
    case 909:
      return 'unknown-post-code';
    default:
      return null;
  }
}

const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const POST_CODES = ['M01006', 'M01004', 'M02001', 'M02035', 'M03006', 'A01806'];
const CONTRACTS = ['EVENTUAL', 'HONORARIOS', 'TEMPORAL', 'BASE'];
const ORIGINS = ['ESTATAL', 'FEDERAL', 'COOPERACION INTERNACIONAL'];

/** A valid CURP, unique per `n` (up to 20³ × 36 × 12 people), born in the state whose CURP key is `abbr`. */
export function generatedCurp(n: number, abbr: string): string {
  const c = (k: number) => CONSONANTS[k % 20];
  const body =
    `GOMA${String(70 + (n % 30)).padStart(2, '0')}${String(1 + (Math.floor(n / 30) % 12)).padStart(2, '0')}15H${abbr}` +
    `${c(Math.floor(n / 360))}${c(Math.floor(n / 7200))}${c(Math.floor(n / 144000))}${ALNUM[Math.floor(n / 2880000) % 36]}`;
  return body + curpCheckDigit(body);
}

/** The post code of data row i (before faults). */
export const postCodeOf = (i: number) => POST_CODES[i % POST_CODES.length];

/** Vacant posts (no person) are every 50th row from 13 on. */
export const isVacant = (i: number) => i % 50 === 13;

export interface RosterSpec {
  rows: number;
  /** CURP state key of the people, e.g. NT. */
  abbr: string;
  /** The CLUES known to the service; rows cycle through them. */
  clues: string[];
  /** Offset of the people and post numbers, to build rosters that do not overlap. */
  offset?: number;
}

/** The roster as CSV text. */
export function generateRoster(spec: RosterSpec): string {
  const offset = spec.offset ?? 0;
  const lines = [ROSTER_HEADER];
  for (let i = 0; i < spec.rows; i++) {
    const fault = plantedFault(i);
    const n = offset + i;
    let curp = generatedCurp(fault === 'duplicate-curp' ? n - 1 : n, spec.abbr);
    if (fault === 'check-digit') curp = curp.slice(0, 17) + String((Number(curp[17]) + 1) % 10);
    const clues = fault === 'unknown-clues' ? `${spec.clues[0].slice(0, 5)}999999` : spec.clues[i % spec.clues.length];
    const code = fault === 'unknown-post-code' ? 'Z99999' : postCodeOf(i);
    const plaza = `P${String(n).padStart(7, '0')}`;
    if (isVacant(i)) {
      lines.push(`${plaza},${code},${clues},SI,VACANTE,,,,,,,,,`);
      continue;
    }
    const name = fault === 'missing-name' ? '' : `PERSONA ${n}`;
    const rfc = `${curp.slice(0, 10)}AB1`;
    const contract = CONTRACTS[i % CONTRACTS.length];
    lines.push(
      `${plaza},${code},${clues},${i % 7 === 0 ? 'NO' : 'SI'},OCUPADA,${curp},${rfc},${name},MEDICINA,${1000000 + n},${contract},2020-01-${String(1 + (i % 28)).padStart(2, '0')},,${ORIGINS[i % ORIGINS.length]}`,
    );
  }
  return lines.join('\n') + '\n';
}
