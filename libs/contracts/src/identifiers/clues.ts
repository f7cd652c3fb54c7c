import { stateByAbbr } from './states';

const CLUES = /^([A-Z]{2})([A-Z]{3})(\d{6})$/;

/** Why `value` is not a CLUES key (2-letter state + 3-letter institution + 6 digits), or null if it is. */
export function cluesProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'CLUES must be a string';
  const m = CLUES.exec(value);
  if (!m) return `"${value}" is not a CLUES key: expected 11 characters, 2-letter state + 3-letter institution + 6 digits (e.g. HGSSA000016)`;
  if (!stateByAbbr(m[1])) return `"${value}" starts with "${m[1]}", which is not a state key (AS, BC, … ZS)`;
  return null;
}

export function isClues(value: unknown): value is string {
  return cluesProblem(value) === null;
}

/** INEGI state code ('13') of a well-formed CLUES key ('HGSSA000016'). */
export function cluesStateCode(clues: string): string | undefined {
  return stateByAbbr(clues.slice(0, 2))?.code;
}

/** Institution part of a CLUES key: 'SSA', 'IMB', … */
export function cluesInstitution(clues: string): string {
  return clues.slice(2, 5);
}
