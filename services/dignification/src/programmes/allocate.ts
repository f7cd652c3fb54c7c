import { createHash } from 'node:crypto';
import { classify, EligibilityRules, PriorityKey, UnitFacts } from '../units/eligibility-rules';

/** A unit considered by an allocation: its facts and whether its state has joined IMSS-BIENESTAR. */
export interface CandidateUnit extends UnitFacts {
  unitId: string;
  stateJoined: boolean;
}

export interface FundedUnit {
  unitId: string;
  clues: string;
  stateCode: string;
  tier: string;
  amount: number;
  /** 1 = funded first. */
  rank: number;
}

export interface LeftOutUnit {
  unitId: string;
  clues: string;
  stateCode: string;
  reason: string;
  message: string;
  tier: string | null;
  amount: number | null;
}

export interface AllocationOutcome {
  funded: FundedUnit[];
  leftOut: LeftOutUnit[];
  total: number;
}

interface Ranked {
  unit: CandidateUnit;
  tier: string;
  amount: number;
  nucleos: number | null;
  rural: boolean;
}

const comparators: Record<PriorityKey, (a: Ranked, b: Ranked) => number> = {
  'rural-first': (a, b) => Number(b.rural) - Number(a.rural),
  // A unit of unknown size (expanded services) comes after any counted one.
  'fewer-nucleos': (a, b) => (a.nucleos ?? Number.MAX_SAFE_INTEGER) - (b.nucleos ?? Number.MAX_SAFE_INTEGER),
  'smaller-amount': (a, b) => a.amount - b.amount,
  clues: (a, b) => (a.unit.clues < b.unit.clues ? -1 : a.unit.clues > b.unit.clues ? 1 : 0),
};

/**
 * Each eligible unit of a joined state gets its tier's amount. When the envelope cannot pay them
 * all, units are funded in priority order until the next one no longer fits; from there on every
 * unit is left out, even a cheaper one that would fit: a lower-priority unit is never funded
 * ahead of a higher-priority one. The CLUES always breaks ties, so the outcome is deterministic.
 */
export function allocate(units: readonly CandidateUnit[], envelope: number, rules: EligibilityRules): AllocationOutcome {
  const leftOut: LeftOutUnit[] = [];
  const ranked: Ranked[] = [];
  for (const unit of units) {
    const c = classify(unit, rules);
    const base = { unitId: unit.unitId, clues: unit.clues, stateCode: unit.stateCode };
    if (!c.eligible) {
      leftOut.push({ ...base, reason: c.reason, message: c.message, tier: null, amount: null });
    } else if (!unit.stateJoined) {
      leftOut.push({ ...base, reason: 'STATE_NOT_JOINED', message: `state ${unit.stateCode} has not joined IMSS-BIENESTAR`, tier: c.tier, amount: c.amount });
    } else {
      ranked.push({ unit, tier: c.tier, amount: c.amount, nucleos: c.nucleos, rural: c.rural });
    }
  }
  const keys = [...rules.priority.filter((k) => k !== 'clues'), 'clues' as const];
  ranked.sort((a, b) => {
    for (const k of keys) {
      const d = comparators[k](a, b);
      if (d !== 0) return d;
    }
    return 0;
  });
  const funded: FundedUnit[] = [];
  let remaining = envelope;
  let exhausted = false;
  for (const r of ranked) {
    const base = { unitId: r.unit.unitId, clues: r.unit.clues, stateCode: r.unit.stateCode };
    if (!exhausted && r.amount <= remaining) {
      remaining -= r.amount;
      funded.push({ ...base, tier: r.tier, amount: r.amount, rank: funded.length + 1 });
    } else {
      if (!exhausted) exhausted = true;
      leftOut.push({
        ...base,
        reason: 'ENVELOPE_EXHAUSTED',
        message: `envelope exhausted: MXN ${remaining} left when its turn came (priority ${rules.priority.join(', ')}), it needs ${r.amount}`,
        tier: r.tier,
        amount: r.amount,
      });
    }
  }
  leftOut.sort((a, b) => (a.clues < b.clues ? -1 : a.clues > b.clues ? 1 : 0));
  return { funded, leftOut, total: envelope - remaining };
}

/** Units and amount per tier, in tier order. */
export function byTier(funded: readonly { tier: string; amount: number }[]): { tier: string; units: number; amount: number }[] {
  const m = new Map<string, { tier: string; units: number; amount: number }>();
  for (const f of funded) {
    const t = m.get(f.tier) ?? { tier: f.tier, units: 0, amount: 0 };
    t.units += 1;
    t.amount += f.amount;
    m.set(f.tier, t);
  }
  return [...m.values()].sort((a, b) => (a.tier < b.tier ? -1 : 1));
}

/** Fingerprint of an allocation's inputs: the same units, rules and envelope give the same hash. */
export function inputHash(units: readonly CandidateUnit[], envelope: number, rules: Partial<EligibilityRules>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ envelope, rules }));
  const sorted = [...units].sort((a, b) => (a.unitId < b.unitId ? -1 : 1));
  for (const u of sorted) {
    h.update(`\n${u.unitId}|${u.clues}|${u.stateCode}|${u.stateJoined}|${u.establishmentType ?? ''}|${u.typology ?? ''}|${u.careLevel ?? ''}|${u.stratum ?? ''}|${u.transferStatus ?? ''}`);
  }
  return h.digest('hex');
}
