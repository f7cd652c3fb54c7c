import { stateByAbbr } from './states';

// Position 12-13 is the birth state key, or NE for people born abroad.
const CURP =
  /^[A-Z][AEIOUX][A-Z]{2}(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX]([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}[A-Z\d](\d)$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** The check digit (18th character) of a CURP computed from its first 17 characters. */
export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`invalid CURP character "${first17[i]}"`);
    sum += v * (18 - i);
  }
  return String((10 - (sum % 10)) % 10);
}

/** Why `value` is not a valid CURP, or null if it is. */
export function curpProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'CURP must be a string';
  const m = CURP.exec(value);
  if (!m) return `"${value}" is not a CURP: expected 18 characters like GOMA850101HHGRRN09`;
  if (m[4] !== 'NE' && !stateByAbbr(m[4])) return `"${value}" has "${m[4]}" as birth state, which is not a state key`;
  const expected = curpCheckDigit(value.slice(0, 17));
  if (expected !== m[5]) return `"${value}" has check digit ${m[5]}, but its first 17 characters give ${expected}`;
  return null;
}

export function isCurp(value: unknown): value is string {
  return curpProblem(value) === null;
}

/** The shape of a CURP, in any case, anywhere in a text: for redaction, not validation (no check digit). */
export const CURP_SHAPE = /[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d/gi;

/** `text` with every CURP-shaped run replaced by `replacement` (logs, timeline lines, URLs). */
export function redactCurps(text: string, replacement = '[curp]'): string {
  return text.replace(CURP_SHAPE, replacement);
}
