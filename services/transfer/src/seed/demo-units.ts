import { stateByCode, UnitStatus } from '@imb/contracts';

/**
 * Generated health units for the demo: a believable CLUES catalogue for a few states (valid
 * keys, first-level health centres of 1–6 núcleos básicos, some hospitals and mobile units), and
 * where each unit stands in its handover, decided by its number so every run agrees.
 */

/**
 * States that get generated units, how many, and the date their handover actas carry. Counts are
 * sized to the published figures the demo shows: Tlaxcala's 119 units hold its 112 health
 * centres, Baja California Sur's 180 its 7 hospitals, Colima's 150 its 6 hospitals (and the 118
 * committees its dignification figure names), Nayarit's 340 the 280 committees of its figure.
 */
export const DEMO_UNIT_STATES: readonly { stateCode: string; units: number; actaDate: string }[] = [
  { stateCode: '13', units: 480, actaDate: '2023-07-14' }, // Hidalgo
  { stateCode: '18', units: 340, actaDate: '2022-09-30' }, // Nayarit
  { stateCode: '29', units: 119, actaDate: '2022-10-21' }, // Tlaxcala
  { stateCode: '06', units: 150, actaDate: '2022-11-18' }, // Colima
  { stateCode: '03', units: 180, actaDate: '2022-12-09' }, // Baja California Sur
  { stateCode: '12', units: 420, actaDate: '2023-03-10' }, // Guerrero
  { stateCode: '31', units: 300, actaDate: '2026-02-27' }, // Yucatán, handing over now
];

const LOCALITIES = [
  'SAN MIGUEL', 'SANTA MARÍA', 'EL ROSARIO', 'SAN JOSÉ', 'GUADALUPE', 'LA PAZ', 'SAN ANTONIO', 'EL CARMEN',
  'SANTA CRUZ', 'LA ESPERANZA', 'SAN PEDRO', 'SAN JUAN', 'LOS REYES', 'EL PROGRESO', 'SAN FRANCISCO', 'LA LOMA',
];

export const CATALOGUE_HEADER = [
  'CLUES', 'CLAVE DE LA ENTIDAD', 'NOMBRE DE LA UNIDAD', 'NOMBRE TIPO ESTABLECIMIENTO', 'NOMBRE DE TIPOLOGIA',
  'NIVEL ATENCION', 'ESTRATO UNIDAD', 'CLAVE DEL MUNICIPIO', 'CLAVE DE LA LOCALIDAD', 'LOCALIDAD', 'ESTATUS DE OPERACION',
];

/** The state's SSA key of unit number n (1-based): HGSSA000001… */
export function ssaClues(stateCode: string, n: number): string {
  return `${abbrOf(stateCode)}SSA${String(n).padStart(6, '0')}`;
}

/** The IMB key the same unit gets when re-registered. */
export function imbClues(stateCode: string, n: number): string {
  return `${abbrOf(stateCode)}IMB${String(n).padStart(6, '0')}`;
}

/** Unit number of a generated key, whatever its institution. */
export const unitNumber = (clues: string) => Number(clues.slice(5));

function abbrOf(stateCode: string): string {
  const state = stateByCode(stateCode);
  if (!state) throw new Error(`no state ${stateCode}`);
  return state.abbr;
}

const csv = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** The state's generated catalogue as CSV text, in the official column names. */
export function catalogueCsv(stateCode: string, units: number): string {
  const lines = [csv(CATALOGUE_HEADER)];
  for (let n = 1; n <= units; n++) {
    const municipality = `${stateCode}${String(1 + (n % 60)).padStart(3, '0')}`;
    const locality = `${municipality}${String(1 + (n % 97)).padStart(4, '0')}`;
    const place = `${LOCALITIES[n % LOCALITIES.length]} ${1 + Math.floor(n / LOCALITIES.length)}`;
    const kind = unitKind(n);
    lines.push(
      csv([
        ssaClues(stateCode, n),
        stateCode,
        `${kind.prefix} ${place}`,
        kind.establishmentType,
        kind.typology,
        kind.careLevel,
        kind.stratum,
        municipality,
        locality,
        place,
        'EN OPERACION',
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

function unitKind(n: number) {
  if (n % 25 === 0) {
    return { prefix: 'HOSPITAL GENERAL', establishmentType: 'DE HOSPITALIZACIÓN', typology: 'HOSPITAL GENERAL', careLevel: 'SEGUNDO NIVEL', stratum: 'URBANO' };
  }
  if (n % 40 === 7) {
    return { prefix: 'UNIDAD MÓVIL', establishmentType: 'DE CONSULTA EXTERNA', typology: 'UNIDAD MÓVIL', careLevel: 'PRIMER NIVEL', stratum: 'RURAL' };
  }
  if (n % 10 === 3) {
    const nucleos = 3 + (n % 4);
    return {
      prefix: 'CENTRO DE SALUD URBANO',
      establishmentType: 'DE CONSULTA EXTERNA',
      typology: `URBANO DE ${String(nucleos).padStart(2, '0')} NÚCLEOS BÁSICOS`,
      careLevel: 'PRIMER NIVEL',
      stratum: 'URBANO',
    };
  }
  const nucleos = n % 3 === 0 ? 2 : 1;
  return {
    prefix: 'CENTRO DE SALUD RURAL',
    establishmentType: 'DE CONSULTA EXTERNA',
    typology: nucleos === 1 ? 'RURAL DE 01 NÚCLEO BÁSICO' : 'RURAL DE 02 NÚCLEOS BÁSICOS',
    careLevel: 'PRIMER NIVEL',
    stratum: 'RURAL',
  };
}

/**
 * Where unit n should stand. In a state already operating under IMSS-BIENESTAR most units
 * operate; a few were excluded, await ownership regularization, or are between handover and
 * re-registration. In a state handing over, the units are spread along the way.
 */
export function targetStatus(stage: string, n: number): UnitStatus {
  if (stage === 'OPERATION') {
    const r = n % 20;
    if (r === 19) return 'EXCLUDED';
    if (r === 18) return 'NEEDS_REGULARIZATION';
    if (r === 17) return 'HANDED_OVER';
    if (r === 16) return 'RE_REGISTERED';
    return 'OPERATING';
  }
  const r = n % 10;
  if (r <= 1) return 'RE_REGISTERED';
  if (r <= 4) return 'HANDED_OVER';
  if (r <= 7) return 'INCLUDED';
  if (r === 8) return 'NEEDS_REGULARIZATION';
  return 'INVENTORIED';
}

/** The order of the forward path a unit takes to operation. */
export const FORWARD_PATH: readonly UnitStatus[] = ['INVENTORIED', 'INCLUDED', 'HANDED_OVER', 'RE_REGISTERED', 'OPERATING'];

/** True when a unit aiming at `target` still has to pass `status` → next on the forward path. */
export function goesBeyond(target: UnitStatus, status: UnitStatus): boolean {
  const t = FORWARD_PATH.indexOf(target);
  return t >= 0 && t > FORWARD_PATH.indexOf(status);
}
