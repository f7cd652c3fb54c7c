import { EntityManager } from 'typeorm';
import { EXERCISE_CODE_PATTERN } from '@imb/contracts';
import { DomainError } from '@imb/platform';

/** The rules of an exercise's tender and of the contracts opened from it (our rules; defaults below). */
export interface TenderTerms {
  awardShares: number[];
  complianceThreshold: number;
  complianceMonths: number;
  penaltyRatePerDay: number;
  penaltyCapShare: number;
  /** False while the exercise still runs on the defaults. */
  configured: boolean;
}

/** Lowest solvent price takes the clave; 50 % on time in the prior 6 months; 1 % a day, capped at 10 % of the order. */
export const DEFAULT_TERMS: TenderTerms = {
  awardShares: [100],
  complianceThreshold: 0.5,
  complianceMonths: 6,
  penaltyRatePerDay: 0.01,
  penaltyCapShare: 0.1,
  configured: false,
};

interface TermsRow {
  award_shares: number[];
  compliance_threshold: string;
  compliance_months: number;
  penalty_rate_per_day: string;
  penalty_cap_share: string;
}

/** 404 unless the exercise exists (400 for a code that cannot be one). */
export async function requireExercise(m: EntityManager, code: string): Promise<void> {
  if (!EXERCISE_CODE_PATTERN.test(code)) throw new DomainError('BAD_EXERCISE_CODE', `"${code}" is not an exercise code such as 2027-2028`, 400);
  const [row] = await m.query<{ code: string }[]>(`SELECT code FROM exercise WHERE code = $1`, [code]);
  if (!row) throw new DomainError('EXERCISE_NOT_FOUND', `No exercise ${code}: create it first with POST /api/procurement/exercises`, 404);
}

export async function loadTerms(m: EntityManager, code: string): Promise<TenderTerms> {
  const [row] = await m.query<TermsRow[]>(
    `SELECT award_shares, compliance_threshold, compliance_months, penalty_rate_per_day, penalty_cap_share FROM tender_terms WHERE exercise_code = $1`,
    [code],
  );
  if (!row) return DEFAULT_TERMS;
  return {
    awardShares: row.award_shares.map(Number),
    complianceThreshold: Number(row.compliance_threshold),
    complianceMonths: row.compliance_months,
    penaltyRatePerDay: Number(row.penalty_rate_per_day),
    penaltyCapShare: Number(row.penalty_cap_share),
    configured: true,
  };
}

/** True once contracts were opened from the exercise's awards: from then on its tender is closed. */
export async function tenderClosed(m: EntityManager, code: string): Promise<boolean> {
  const [row] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM contract WHERE exercise_code = $1`, [code]);
  return row.n > 0;
}
