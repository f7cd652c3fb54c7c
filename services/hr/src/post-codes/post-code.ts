/**
 * Post codes (códigos de puesto) of the health branch. A code names a post's title and fixes its
 * branch and the category the public hiring dashboards count it under.
 */

export const BRANCHES = ['medica', 'enfermeria', 'paramedica', 'afin'] as const;
export type Branch = (typeof BRANCHES)[number];

export const CATEGORIES = ['specialist', 'general-practitioner', 'nursing', 'paramedic', 'administrative'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A post code: `M01006` = MEDICO GENERAL "A". */
export interface PostCode {
  code: string;
  title: string;
  branch: Branch;
  category: Category;
}

/** Letter + 5 digits, the shape of the published codes (M01006, A01806). */
export const POST_CODE_PATTERN = /^[A-Z]{1,2}\d{5}$/;

/** Why `value` is not a post code, or null if it is. */
export function postCodeProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'post code must be a string';
  if (!POST_CODE_PATTERN.test(value)) return `"${value}" is not a post code: expected 1–2 letters and 5 digits, like M01006`;
  return null;
}

/**
 * Codes seeded by the first migration. M01006 (MEDICO GENERAL "A") is the published example;
 * the others follow the same tabulator's naming but are illustrative, to be replaced or
 * extended by each state's catalogue (POST /api/hr/post-codes).
 */
export const SEED_POST_CODES: readonly PostCode[] = [
  { code: 'M01006', title: 'MEDICO GENERAL "A"', branch: 'medica', category: 'general-practitioner' },
  { code: 'M01007', title: 'MEDICO GENERAL "B"', branch: 'medica', category: 'general-practitioner' },
  { code: 'M01008', title: 'MEDICO GENERAL "C"', branch: 'medica', category: 'general-practitioner' },
  { code: 'M01004', title: 'MEDICO ESPECIALISTA "A"', branch: 'medica', category: 'specialist' },
  { code: 'M01005', title: 'MEDICO ESPECIALISTA "B"', branch: 'medica', category: 'specialist' },
  { code: 'M01009', title: 'MEDICO ESPECIALISTA "C"', branch: 'medica', category: 'specialist' },
  { code: 'M01010', title: 'CIRUJANO DENTISTA "A"', branch: 'medica', category: 'general-practitioner' },
  { code: 'M02001', title: 'ENFERMERA GENERAL TITULADA "A"', branch: 'enfermeria', category: 'nursing' },
  { code: 'M02002', title: 'ENFERMERA GENERAL TITULADA "B"', branch: 'enfermeria', category: 'nursing' },
  { code: 'M02031', title: 'ENFERMERA ESPECIALISTA "A"', branch: 'enfermeria', category: 'nursing' },
  { code: 'M02035', title: 'AUXILIAR DE ENFERMERIA "A"', branch: 'enfermeria', category: 'nursing' },
  { code: 'M02081', title: 'ENFERMERA JEFE DE SERVICIO', branch: 'enfermeria', category: 'nursing' },
  { code: 'M03001', title: 'QUIMICO "A"', branch: 'paramedica', category: 'paramedic' },
  { code: 'M03006', title: 'TECNICO RADIOLOGO', branch: 'paramedica', category: 'paramedic' },
  { code: 'M03011', title: 'TERAPISTA', branch: 'paramedica', category: 'paramedic' },
  { code: 'M03018', title: 'TECNICO EN ATENCION PRIMARIA A LA SALUD', branch: 'paramedica', category: 'paramedic' },
  { code: 'M03025', title: 'PSICOLOGO CLINICO', branch: 'paramedica', category: 'paramedic' },
  { code: 'A01806', title: 'APOYO ADMINISTRATIVO EN SALUD A6', branch: 'afin', category: 'administrative' },
  { code: 'A01807', title: 'APOYO ADMINISTRATIVO EN SALUD A7', branch: 'afin', category: 'administrative' },
  { code: 'M01801', title: 'TRABAJADORA SOCIAL EN AREA MEDICA "A"', branch: 'afin', category: 'administrative' },
];
