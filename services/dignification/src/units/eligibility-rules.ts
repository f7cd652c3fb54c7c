import { ALL_STAGES } from '@imb/contracts';

/**
 * Which units the programme funds and how much each gets: our rule (DOMAIN.md §4 gives only the
 * draft amounts), kept as data so it can change without code. A programme copies the rules in
 * force when it is created, so re-running its allocation gives the same result.
 */

/** A unit's facts from the CLUES catalogue, as carried by transfer's unit events. */
export interface UnitFacts {
  clues: string;
  stateCode: string;
  establishmentType?: string | null;
  typology?: string | null;
  careLevel?: string | null;
  stratum?: string | null;
  transferStatus?: string | null;
}

/** A unit the rules leave out: `pattern` is matched (case- and accent-insensitive) against `field`. */
export interface ExclusionRule {
  code: string;
  field: 'establishmentType' | 'typology' | 'careLevel';
  pattern: string;
  message: string;
}

/** A size tier: a range of núcleos básicos (consultorios) and the amount a unit of that size receives. */
export interface TierRule {
  tier: string;
  minNucleos: number;
  /** Inclusive; null = no upper bound. */
  maxNucleos: number | null;
  amount: number;
}

/** Orderings available to the priority rule used when the envelope is short. */
export const PRIORITY_KEYS = ['rural-first', 'fewer-nucleos', 'smaller-amount', 'clues'] as const;
export type PriorityKey = (typeof PRIORITY_KEYS)[number];

export interface EligibilityRules {
  /** Checked in order; the first that matches excludes the unit with its code and message. */
  exclusions: ExclusionRule[];
  /** Care level a unit must have (matched like exclusions); null = any. */
  requiredCareLevel: string | null;
  tiers: TierRule[];
  /** Typology pattern of the urban expanded-services unit and its tier. */
  expandedServices: { pattern: string; tier: string; amount: number };
  /** Sort keys applied in order when the envelope cannot fund every eligible unit. */
  priority: PriorityKey[];
  /**
   * Transfer stages in which a state counts as joined to IMSS-BIENESTAR, so its units can be
   * funded. A state this service has not heard of has not joined.
   */
  joinedStages: string[];
}

export const DEFAULT_RULES: EligibilityRules = {
  exclusions: [
    { code: 'MOBILE_UNIT', field: 'typology', pattern: 'UNIDAD MOVIL', message: 'mobile unit: the programme funds fixed premises only' },
    { code: 'SPECIALTY_UNIT', field: 'typology', pattern: 'ESPECIALIDADES', message: 'specialty unit: the programme funds first-level health centres only' },
    { code: 'HOSPITAL_UNIT', field: 'typology', pattern: 'HOSPITAL', message: 'unit with hospital beds: funded by the hospital programme, not by its committee' },
    { code: 'HOSPITAL_UNIT', field: 'establishmentType', pattern: 'HOSPITALIZACION', message: 'hospital: funded by the hospital programme, not by its committee' },
    { code: 'NOT_A_CARE_UNIT', field: 'establishmentType', pattern: 'ASISTENCIA SOCIAL|DE APOYO', message: 'support or social-assistance establishment: not a health centre' },
  ],
  requiredCareLevel: 'PRIMER NIVEL',
  tiers: [
    { tier: 'T1', minNucleos: 1, maxNucleos: 1, amount: 400_000 },
    { tier: 'T2', minNucleos: 2, maxNucleos: 2, amount: 600_000 },
    { tier: 'T3', minNucleos: 3, maxNucleos: 5, amount: 800_000 },
    { tier: 'T4', minNucleos: 6, maxNucleos: null, amount: 1_000_000 },
  ],
  expandedServices: { pattern: 'SERVICIOS AMPLIADOS', tier: 'T5', amount: 1_200_000 },
  priority: ['rural-first', 'fewer-nucleos', 'clues'],
  // Our rule: the coordination agreement is signed, so the state is past DIAGNOSIS and neither declined nor suspended.
  joinedStages: ['AGREEMENT', 'PUBLICATION', 'ANNEXES', 'HANDOVER', 'PAYROLL', 'OPERATION'],
};

/**
 * A programme's stored rules with the defaults for keys added since it was created (programmes
 * made before `joinedStages` existed followed the rule that is now its default).
 */
export function withDefaults(stored: Partial<EligibilityRules>): EligibilityRules {
  return { ...DEFAULT_RULES, ...stored };
}

/** Whether a state in `stage` (null: never heard of) has joined, by the rules. */
export function isStateJoined(stage: string | null | undefined, rules: EligibilityRules): boolean {
  return !!stage && rules.joinedStages.includes(stage);
}

/** What the rules say about one unit. */
export type Classification =
  | { eligible: true; tier: string; amount: number; nucleos: number | null; rural: boolean }
  | { eligible: false; reason: string; message: string };

/** Upper case without accents, so "NÚCLEO" and "NUCLEO" match alike. */
export function normalize(text: string | null | undefined): string {
  const key = text ?? '';
  let out = normalized.get(key);
  if (out === undefined) {
    out = key.normalize('NFD').replace(/\p{Diacritic}/gu, '').toUpperCase().trim();
    // Catalogue values repeat (a few dozen tipologías, strata, levels): remember them, within bounds.
    if (normalized.size < 10_000) normalized.set(key, out);
  }
  return out;
}
const normalized = new Map<string, string>();

const compiled = new Map<string, RegExp>();
/** True when `pattern` (a regular expression, accents ignored) matches `value`; patterns are compiled once. */
function matches(pattern: string, value: string | null | undefined): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(normalize(pattern));
    compiled.set(pattern, re);
  }
  return re.test(normalize(value));
}

/** Núcleos básicos named by a CLUES tipología ("RURAL DE 01 NÚCLEO BÁSICO" → 1), or null when it names none. */
export function nucleosOf(typology: string | null | undefined): number | null {
  const m = /(\d+)\s+NUCLEOS?\s+BASICOS?/.exec(normalize(typology));
  return m ? Number(m[1]) : null;
}

/** Applies the rules to one unit. */
export function classify(unit: UnitFacts, rules: EligibilityRules = DEFAULT_RULES): Classification {
  if (unit.transferStatus === 'EXCLUDED') {
    return { eligible: false, reason: 'EXCLUDED_FROM_TRANSFER', message: 'the unit was excluded from its state’s transfer' };
  }
  for (const rule of rules.exclusions) {
    if (matches(rule.pattern, unit[rule.field])) return { eligible: false, reason: rule.code, message: rule.message };
  }
  if (rules.requiredCareLevel && !matches(rules.requiredCareLevel, unit.careLevel)) {
    return { eligible: false, reason: 'NOT_FIRST_LEVEL', message: `care level is "${unit.careLevel ?? 'unknown'}", the programme funds ${rules.requiredCareLevel} only` };
  }
  const rural = normalize(unit.stratum) === 'RURAL';
  if (matches(rules.expandedServices.pattern, unit.typology)) {
    return { eligible: true, tier: rules.expandedServices.tier, amount: rules.expandedServices.amount, nucleos: nucleosOf(unit.typology), rural };
  }
  const nucleos = nucleosOf(unit.typology);
  if (nucleos === null) {
    return { eligible: false, reason: 'UNKNOWN_SIZE', message: `the tipología "${unit.typology ?? ''}" names no núcleos básicos, so no size tier applies` };
  }
  const tier = rules.tiers.find((t) => nucleos >= t.minNucleos && (t.maxNucleos === null || nucleos <= t.maxNucleos));
  if (!tier) return { eligible: false, reason: 'UNKNOWN_SIZE', message: `no size tier covers ${nucleos} núcleos básicos` };
  return { eligible: true, tier: tier.tier, amount: tier.amount, nucleos, rural };
}

/** Problems of a rules table (empty when usable): a bad table must fail at boot, not mid-allocation. */
export function rulesProblems(rules: EligibilityRules): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rules.exclusions)) problems.push('exclusions must be a list');
  if (!Array.isArray(rules.tiers) || rules.tiers.length === 0) problems.push('tiers must list at least one tier');
  for (const t of rules.tiers ?? []) {
    if (!(t.amount > 0)) problems.push(`tier ${t.tier}: amount must be positive`);
    if (!(t.minNucleos >= 1) || (t.maxNucleos !== null && t.maxNucleos < t.minNucleos)) problems.push(`tier ${t.tier}: bad núcleos range`);
  }
  if (!Array.isArray(rules.joinedStages) || rules.joinedStages.length === 0) {
    problems.push(`joinedStages must list the transfer stages in which a state counts as joined (of ${ALL_STAGES.join(', ')})`);
  }
  for (const stage of Array.isArray(rules.joinedStages) ? rules.joinedStages : []) {
    if (!(ALL_STAGES as readonly string[]).includes(stage)) problems.push(`joinedStages: unknown stage ${stage}; known: ${ALL_STAGES.join(', ')}`);
  }
  for (const p of rules.priority ?? []) if (!PRIORITY_KEYS.includes(p)) problems.push(`unknown priority key ${p}; known: ${PRIORITY_KEYS.join(', ')}`);
  for (const r of rules.exclusions ?? []) {
    try {
      new RegExp(r.pattern);
    } catch {
      problems.push(`exclusion ${r.code}: pattern is not a regular expression`);
    }
  }
  return problems;
}
