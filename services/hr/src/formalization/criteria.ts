import type { Branch } from '../post-codes/post-code';
import type { ContractType } from '../rosters/roster-row';

/**
 * The 7 published criteria of the formalization (basificación) of eventual staff, as pure
 * functions of what the service knows about one candidate. The eligibility job gathers these
 * facts set-based in SQL and decides here, so every rule has one implementation, tested alone.
 */

export const CRITERIA = [
  { id: 'contract-type', label: 'Eventual or temporary contract' },
  { id: 'transferable-unit', label: 'Works in a transferable unit' },
  { id: 'seniority', label: 'Seniority' },
  { id: 'profile', label: 'Academic and work profile fits the post code' },
  { id: 'performance-training', label: 'Performance and training' },
  { id: 'no-permanent-post', label: 'No permanent post at IMSS or ISSSTE' },
  { id: 'not-barred', label: 'Not barred from public service' },
] as const;
export type CriterionId = (typeof CRITERIA)[number]['id'];
export const CRITERION_IDS = CRITERIA.map<CriterionId>((c) => c.id);

/** A campaign's thresholds. The seniority rule of the programme is 6 months; each campaign may set its own. */
export interface CampaignRules {
  minSeniorityMonths: number;
  /** Least performance score (0–100) of the HR office's evaluation. */
  minPerformanceScore: number;
  /** Least hours of training in the evaluation period. */
  minTrainingHours: number;
}

export const DEFAULT_RULES: CampaignRules = { minSeniorityMonths: 6, minPerformanceScore: 70, minTrainingHours: 20 };

/** Everything the rules look at for one candidate: the contract put forward and its person, post, unit and list entries. */
export interface CandidateFacts {
  contractType: ContractType;
  startsOn: string;
  endsOn: string | null;
  /** Earliest start of any of the person's contracts: seniority counts the whole service. */
  firstStartsOn: string;
  /** Transfer stage of the post's state (states read model); null if the platform never heard of it. */
  stateStage: string | null;
  /** Lifecycle status of the post's unit in the transfer (null: inventoried, no change since). */
  unitStatus: string | null;
  unitStatusReason: string | null;
  clues: string;
  postCode: string;
  branch: Branch;
  profession: string | null;
  licence: string | null;
  evaluation: { score: number; trainingHours: number } | null;
  permanentPost: { row: number; detail: string | null } | null;
  barred: { row: number; detail: string | null } | null;
}

export interface CriterionOutcome {
  criterion: CriterionId;
  pass: boolean;
  reason: string;
}

/** Stages at which a state has not (or no longer) joined IMSS-BIENESTAR. */
const NOT_JOINED = new Set(['DIAGNOSIS', 'DECLINED', 'SUSPENDED']);

/** Whole months from `from` to `to` (YYYY-MM-DD); negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  const months = (y2 - y1) * 12 + (m2 - m1);
  if (months > 0 && d2 < d1) return months - 1;
  if (months < 0 && d2 > d1) return months + 1;
  return months;
}

const plain = (v: string | null) =>
  (v ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .trim();

/** Words of a profession that fit each branch; afín (administrative) posts ask for no licensed profession. */
const PROFESSION_WORDS: Record<Exclude<Branch, 'afin'>, string[]> = {
  medica: ['MEDIC', 'CIRUJAN', 'ODONTOLOG', 'DENTIST', 'ESPECIALISTA'],
  enfermeria: ['ENFERMER'],
  paramedica: [],
};

export function contractTypeCriterion(f: CandidateFacts, cutoff: string): CriterionOutcome {
  const fail = (reason: string) => ({ criterion: 'contract-type' as const, pass: false, reason });
  if (f.contractType !== 'eventual' && f.contractType !== 'temporal') {
    return fail(`${f.contractType} contract: only eventual or temporary (temporal) contracts qualify`);
  }
  if (f.startsOn > cutoff) return fail(`the ${f.contractType} contract starts on ${f.startsOn}, after the cut-off date ${cutoff}`);
  if (f.endsOn !== null && f.endsOn < cutoff) return fail(`the ${f.contractType} contract ended on ${f.endsOn}, before the cut-off date ${cutoff}`);
  return { criterion: 'contract-type', pass: true, reason: `${f.contractType} contract in force on ${cutoff}` };
}

export function transferableUnitCriterion(f: CandidateFacts): CriterionOutcome {
  const fail = (reason: string) => ({ criterion: 'transferable-unit' as const, pass: false, reason });
  if (f.stateStage === null) return fail(`unit ${f.clues}: the platform has no transfer record of its state`);
  if (NOT_JOINED.has(f.stateStage)) return fail(`unit ${f.clues}: its state has not joined IMSS-BIENESTAR (transfer stage ${f.stateStage})`);
  if (f.unitStatus === 'EXCLUDED') {
    return fail(`unit ${f.clues} was excluded from the transfer${f.unitStatusReason ? ` (${f.unitStatusReason})` : ''}`);
  }
  return { criterion: 'transferable-unit', pass: true, reason: `unit ${f.clues} is in the transfer (${f.unitStatus ?? 'INVENTORIED'}, state at stage ${f.stateStage})` };
}

export function seniorityCriterion(f: CandidateFacts, cutoff: string, rules: CampaignRules): CriterionOutcome {
  const months = monthsBetween(f.firstStartsOn, cutoff);
  const text = `${Math.max(months, 0)} months from ${f.firstStartsOn} (first contract) to the cut-off date ${cutoff}; at least ${rules.minSeniorityMonths} required`;
  return { criterion: 'seniority', pass: months >= rules.minSeniorityMonths, reason: text };
}

export function profileCriterion(f: CandidateFacts): CriterionOutcome {
  const fail = (reason: string) => ({ criterion: 'profile' as const, pass: false, reason });
  if (f.branch === 'afin') return { criterion: 'profile', pass: true, reason: `post ${f.postCode} (afín) asks for no licensed profession` };
  const profession = plain(f.profession);
  if (!profession) return fail(`post ${f.postCode} (${f.branch}) needs a profession of the branch; none is recorded`);
  const words = PROFESSION_WORDS[f.branch];
  if (words.length && !words.some((w) => profession.includes(w))) {
    return fail(`profession "${f.profession}" does not fit post ${f.postCode} of the ${f.branch} branch`);
  }
  if (!plain(f.licence)) return fail(`post ${f.postCode} (${f.branch}) needs a professional licence (cédula); none is recorded`);
  return { criterion: 'profile', pass: true, reason: `${f.profession} with licence ${f.licence} fits post ${f.postCode} (${f.branch})` };
}

export function performanceCriterion(f: CandidateFacts, rules: CampaignRules): CriterionOutcome {
  const fail = (reason: string) => ({ criterion: 'performance-training' as const, pass: false, reason });
  const e = f.evaluation;
  if (!e) return fail("no entry in the campaign's performance and training list");
  const wanted = `at least ${rules.minPerformanceScore} points and ${rules.minTrainingHours} training hours required`;
  if (e.score < rules.minPerformanceScore || e.trainingHours < rules.minTrainingHours) {
    return fail(`performance ${e.score} points, ${e.trainingHours} training hours; ${wanted}`);
  }
  return { criterion: 'performance-training', pass: true, reason: `performance ${e.score} points, ${e.trainingHours} training hours; ${wanted}` };
}

export function noPermanentPostCriterion(f: CandidateFacts): CriterionOutcome {
  const p = f.permanentPost;
  if (p) return { criterion: 'no-permanent-post', pass: false, reason: `holds a permanent post at IMSS or ISSSTE (list row ${p.row}${p.detail ? `: ${p.detail}` : ''})` };
  return { criterion: 'no-permanent-post', pass: true, reason: 'not on the list of permanent posts at IMSS or ISSSTE' };
}

export function notBarredCriterion(f: CandidateFacts): CriterionOutcome {
  const b = f.barred;
  if (b) return { criterion: 'not-barred', pass: false, reason: `barred from public service (list row ${b.row}${b.detail ? `: ${b.detail}` : ''})` };
  return { criterion: 'not-barred', pass: true, reason: 'not on the list of people barred from public service' };
}

/** Every criterion's outcome for one candidate, in the published order. */
export function evaluateCandidate(f: CandidateFacts, cutoff: string, rules: CampaignRules): CriterionOutcome[] {
  return [
    contractTypeCriterion(f, cutoff),
    transferableUnitCriterion(f),
    seniorityCriterion(f, cutoff, rules),
    profileCriterion(f),
    performanceCriterion(f, rules),
    noPermanentPostCriterion(f),
    notBarredCriterion(f),
  ];
}
