import { STATES } from '@imb/contracts';

/**
 * IMSS-BIENESTAR reports one MIN/MAX pair per adhered state, titled
 * "IMSS BIENESTAR EF_ADHERIDA_<STATE>" (e.g. EF_ADHERIDA_SAN_LUIS_POTOSI). These helpers map
 * such a title to the state's INEGI code, tolerant of accents, case, underscores and spaces.
 */

/** Upper case, without accents, with underscores and runs of spaces as one space. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[_\s\u00a0]+/g, ' ')
    .trim();
}

/** Names a state goes by in the annexes besides its official name. */
const ALIASES: Record<string, string> = {
  COAHUILA: '05',
  MICHOACAN: '16',
  VERACRUZ: '30',
  'ESTADO DE MEXICO': '15',
  EDOMEX: '15',
  CDMX: '09',
  'DISTRITO FEDERAL': '09',
};

const BY_NAME = new Map<string, string>([
  ...STATES.map((s) => [normalizeLabel(s.name), s.code] as [string, string]),
  ...Object.entries(ALIASES),
]);

/** The INEGI code of a state named as in an annex ("SAN_LUIS_POTOSI", "México", "Veracruz"), or undefined. */
export function stateCodeOfName(name: string): string | undefined {
  return BY_NAME.get(normalizeLabel(name));
}

const ADHERED = /^IMSS[ -]?BIENESTAR EF ?ADHERIDA (.+)$/;

/**
 * For a column title of an IMSS-BIENESTAR adhered state: `{ stateName }` with its code when
 * known. Null for any other institution.
 */
export function adheredStateColumn(title: string): { stateName: string; stateCode: string | undefined } | null {
  const m = ADHERED.exec(normalizeLabel(title));
  if (!m) return null;
  return { stateName: m[1], stateCode: stateCodeOfName(m[1]) };
}
