import { hash } from 'node:crypto';
import { cluesProblem, cluesStateCode, isStateCode, stateByCode } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import type { Ownership } from './unit-lifecycle';

/**
 * Reading the official CLUES catalogue (DGIS, "Catálogo de Establecimientos de Salud"): which
 * columns we take, how header names are matched, and how one row becomes a unit or row errors.
 * Pure functions, so the rules are tested without files or a database.
 */

/** The catalogue columns the platform keeps; `label` is the published header, `aliases` what else we accept. */
export const CATALOGUE_COLUMNS = {
  clues: { label: 'CLUES', aliases: [] as string[], required: true },
  cluesSsh: { label: 'CLUES_SSH', aliases: ['CLUES ANTERIOR'], required: false },
  stateCode: { label: 'CLAVE DE LA ENTIDAD', aliases: ['CLAVE ENTIDAD'], required: true },
  name: { label: 'NOMBRE DE LA UNIDAD', aliases: ['NOMBRE UNIDAD'], required: true },
  establishmentType: { label: 'NOMBRE TIPO ESTABLECIMIENTO', aliases: ['TIPO ESTABLECIMIENTO', 'NOMBRE DEL TIPO DE ESTABLECIMIENTO'], required: false },
  typology: { label: 'NOMBRE DE TIPOLOGIA', aliases: ['TIPOLOGIA', 'NOMBRE TIPOLOGIA'], required: false },
  careLevel: { label: 'NIVEL ATENCION', aliases: ['NIVEL DE ATENCION'], required: false },
  stratum: { label: 'ESTRATO UNIDAD', aliases: ['ESTRATO'], required: false },
  municipalityCode: { label: 'CLAVE DEL MUNICIPIO', aliases: ['CLAVE MUNICIPIO'], required: false },
  localityCode: { label: 'CLAVE DE LA LOCALIDAD', aliases: ['CLAVE LOCALIDAD'], required: false },
  locality: { label: 'LOCALIDAD', aliases: ['NOMBRE DE LA LOCALIDAD'], required: false },
  latitude: { label: 'LATITUD', aliases: ['LATITUDE'], required: false },
  longitude: { label: 'LONGITUD', aliases: ['LONGITUDE'], required: false },
  ownership: { label: 'PROPIEDAD DEL INMUEBLE', aliases: ['PROPIEDAD'], required: false },
  operationStatus: { label: 'ESTATUS DE OPERACION', aliases: ['ESTATUS OPERACION'], required: false },
} as const;

export type CatalogueField = keyof typeof CATALOGUE_COLUMNS;
/** Position (0-based) of each recognised column in the header row. */
export type ColumnMap = Partial<Record<CatalogueField, number>>;

const FIELDS = Object.keys(CATALOGUE_COLUMNS) as CatalogueField[];

/** A header as compared: no accents, upper case, underscores and runs of spaces as one space. */
export function normalizeHeader(value: unknown): string {
  return cellText(value)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[_\s]+/g, ' ')
    .trim();
}

const HEADER_LOOKUP = new Map<string, CatalogueField>(
  FIELDS.flatMap((field) => {
    const c = CATALOGUE_COLUMNS[field];
    return [c.label, ...c.aliases].map((name) => [normalizeHeader(name), field] as [string, CatalogueField]);
  }),
);

/**
 * The columns of a header row, or null when the row is not the header (it has no CLUES column).
 * The first column of a name wins; unknown columns (the catalogue has 67) are ignored.
 */
export function readHeader(cells: readonly unknown[]): ColumnMap | null {
  const map: ColumnMap = {};
  cells.forEach((cell, index) => {
    const field = HEADER_LOOKUP.get(normalizeHeader(cell));
    if (field && map[field] === undefined) map[field] = index;
  });
  return map.clues === undefined ? null : map;
}

/** Published names of the required columns the header lacks. */
export function missingColumns(map: ColumnMap): string[] {
  return FIELDS.filter((f) => CATALOGUE_COLUMNS[f].required && map[f] === undefined).map((f) => CATALOGUE_COLUMNS[f].label);
}

/** The text of a cell as spreadsheets and CSV files give it, trimmed, inner runs of spaces collapsed. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return collapse(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return collapse(v.richText.map((r) => r.text ?? '').join(''));
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
  }
  return '';
}

function collapse(s: string): string {
  // Fast path: most cells have neither surrounding nor doubled whitespace.
  const t = s.trim();
  return /\s\s|[\t\n\r\u00a0]/.test(t) ? t.replace(/[\s\u00a0]+/g, ' ') : t;
}

/** One valid catalogue row, ready to be written. */
export interface CatalogueUnit {
  row: number;
  clues: string;
  /** The old key (CLUES_SSH) of a re-registration row; null when absent. */
  cluesSsh: string | null;
  stateCode: string;
  institution: string;
  name: string;
  establishmentType: string | null;
  typology: string | null;
  careLevel: string | null;
  stratum: string | null;
  municipalityCode: string | null;
  localityCode: string | null;
  locality: string | null;
  latitude: number | null;
  longitude: number | null;
  ownership: Ownership | null;
  operationStatus: string | null;
  /** Hash of the catalogue columns above: an unchanged row re-imported changes nothing. */
  rowHash: string;
}

/** The outcome of one row: the unit when valid, else its errors. */
export type RowOutcome = { unit: CatalogueUnit; errors?: undefined } | { unit?: undefined; errors: JobRowError[] };

const stateLabel = (code: string) => `${stateByCode(code)?.name ?? 'unknown state'} (${code})`;

/** PROPIEDAD DEL INMUEBLE → our ownership values; null when the catalogue does not say. */
export function ownershipOf(text: string): Ownership | null {
  const t = normalizeHeader(text);
  if (!t || t === 'NO ESPECIFICADO' || t === 'NO APLICA' || t === 'SIN DATO') return null;
  if (t.includes('COMODATO')) return 'comodato';
  if (t.includes('RENT') || t.includes('ARRENDA')) return 'rentado';
  if (t.includes('EJID') || t.includes('POSESION')) return 'posesion-ejido';
  if (t.includes('PROPI')) return 'propio';
  return 'otro';
}

/**
 * Validates one data row against the catalogue rules and, when `scopeState` is given, against
 * the state being imported; returns the unit or every problem found (row number as in the file).
 */
export function parseCatalogueRow(cells: readonly unknown[], columns: ColumnMap, row: number, scopeState: string | null): RowOutcome {
  const errors: JobRowError[] = [];
  const fail = (field: CatalogueField, message: string) => {
    errors.push({ row, field: CATALOGUE_COLUMNS[field].label, message });
    return null;
  };
  const text = (field: CatalogueField): string => {
    const at = columns[field];
    return at === undefined ? '' : cellText(cells[at]);
  };
  const optional = (field: CatalogueField, max: number): string | null => {
    const t = text(field);
    if (!t) return null;
    return t.length > max ? fail(field, `is ${t.length} characters long; at most ${max} are accepted`) : t;
  };

  const clues = text('clues').toUpperCase();
  let cluesState: string | undefined;
  if (!clues) fail('clues', 'is empty: every row needs its CLUES key');
  else {
    const problem = cluesProblem(clues);
    if (problem) fail('clues', problem);
    else {
      cluesState = cluesStateCode(clues);
      if (scopeState && cluesState !== scopeState) {
        fail('clues', `${clues} is a unit of ${stateLabel(cluesState!)}, not of ${stateLabel(scopeState)}, the state being imported`);
      }
    }
  }

  const stateText = text('stateCode');
  let stateCode: string | undefined;
  if (!stateText) fail('stateCode', 'is empty: every row needs its state code');
  else if (!/^\d{1,2}$/.test(stateText) || !isStateCode(stateText.padStart(2, '0'))) {
    fail('stateCode', `"${stateText}" is not a state code (01 to 32)`);
  } else {
    stateCode = stateText.padStart(2, '0');
    if (cluesState && stateCode !== cluesState) {
      fail('stateCode', `says ${stateLabel(stateCode)} but CLUES ${clues} is of ${stateLabel(cluesState)}`);
    }
  }
  const state = cluesState ?? stateCode;

  const name = text('name');
  if (!name) fail('name', 'is empty: every unit needs its name');
  else if (name.length > 300) fail('name', `is ${name.length} characters long; at most 300 are accepted`);

  let cluesSsh: string | null = null;
  if (columns.cluesSsh !== undefined) {
    const old = text('cluesSsh').toUpperCase();
    if (old) {
      const problem = cluesProblem(old);
      if (problem) fail('cluesSsh', problem);
      else if (old === clues) fail('cluesSsh', `is the same key as CLUES (${clues}); the old key must differ from the new one`);
      else if (cluesState && cluesStateCode(old) !== cluesState) {
        fail('cluesSsh', `${old} is a unit of ${stateLabel(cluesStateCode(old)!)}; a unit keeps its state when re-registered as ${clues}`);
      } else cluesSsh = old;
    }
  }

  const municipalityCode = municipalityOf(text('municipalityCode'), state, fail);
  const localityCode = localityOf(text('localityCode'), municipalityCode, text('municipalityCode') !== '', fail);
  const latitude = coordinate('latitude', text('latitude'), 90, fail);
  const longitude = coordinate('longitude', text('longitude'), 180, fail);
  const establishmentType = optional('establishmentType', 200);
  const typology = optional('typology', 200);
  const careLevel = optional('careLevel', 100);
  const stratum = optional('stratum', 50);
  const locality = optional('locality', 200);
  const operationStatus = optional('operationStatus', 100);
  const ownership = ownershipOf(text('ownership'));

  if (errors.length) return { errors };
  const unit: CatalogueUnit = {
    row,
    clues,
    cluesSsh,
    stateCode: state!,
    institution: clues.slice(2, 5),
    name,
    establishmentType,
    typology,
    careLevel,
    stratum,
    municipalityCode,
    localityCode,
    locality,
    latitude,
    longitude,
    ownership,
    operationStatus,
    rowHash: '',
  };
  unit.rowHash = rowHashOf(unit);
  return { unit };
}

/** Hash of a row's catalogue columns (not its row number). */
export function rowHashOf(u: CatalogueUnit): string {
  const parts = [
    u.clues, u.cluesSsh, u.stateCode, u.name, u.establishmentType, u.typology, u.careLevel, u.stratum,
    u.municipalityCode, u.localityCode, u.locality, u.latitude, u.longitude, u.ownership, u.operationStatus,
  ];
  return hash('sha256', parts.map((p) => (p === null ? '\u0000' : String(p))).join('\u001f'), 'base64url');
}

type Fail = (field: CatalogueField, message: string) => null;

// The catalogue numbers municipalities within their state (1..570) and localities within their
// municipality (1..9999); INEGI's full codes are 5 and 9 digits. Both forms are accepted.
function municipalityOf(t: string, state: string | undefined, fail: Fail): string | null {
  if (!t) return null;
  if (/^\d{1,3}$/.test(t)) return state ? state + t.padStart(3, '0') : null;
  if (/^\d{5}$/.test(t)) {
    return state && !t.startsWith(state) ? fail('municipalityCode', `${t} is a municipality of another state than ${state}`) : t;
  }
  return fail('municipalityCode', `"${t}" is not a municipality key: expected its number in the state (e.g. 1) or the 5-digit INEGI code (e.g. 13001)`);
}

function localityOf(t: string, municipality: string | null, municipalityGiven: boolean, fail: Fail): string | null {
  if (!t) return null;
  if (/^\d{1,4}$/.test(t)) {
    if (municipality) return municipality + t.padStart(4, '0');
    // A municipality that was given but is unusable is reported once, under its own column.
    return municipalityGiven ? null : fail('localityCode', `"${t}" needs CLAVE DEL MUNICIPIO to form the 9-digit locality code`);
  }
  if (/^\d{9}$/.test(t)) {
    return municipality && !t.startsWith(municipality) ? fail('localityCode', `${t} is not a locality of municipality ${municipality}`) : t;
  }
  return fail('localityCode', `"${t}" is not a locality key: expected its number in the municipality (e.g. 1) or the 9-digit INEGI code (e.g. 130010001)`);
}

function coordinate(field: 'latitude' | 'longitude', t: string, limit: number, fail: Fail): number | null {
  if (!t) return null;
  const n = Number(t.replace(',', '.'));
  if (!Number.isFinite(n) || n < -limit || n > limit) {
    return fail(field, `"${t}" is not a ${field} (a number from -${limit} to ${limit})`);
  }
  return n;
}
