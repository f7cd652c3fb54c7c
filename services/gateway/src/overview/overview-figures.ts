import { STATES } from '@imb/contracts';
import { OVERVIEW_HIRING_CATEGORIES, percentOrNull } from './mappings';

/** The four sources of the overview, each with the time of its latest event applied (ISO) or null. */
export type AsOf = {
  transfer: string | null;
  hr: string | null;
  procurement: string | null;
  dignification: string | null;
};

/** One state of the national overview (the shape the dashboard reads; see overview-interface.md). */
export interface StateOverview {
  stateCode: string;
  stateName: string;
  stage: string | null;
  stageSince: string | null;
  daysInStage: number | null;
  units: {
    total: number;
    handedOverPercent: number | null;
    reRegisteredPercent: number | null;
    byStatus: Record<string, number>;
  };
  hiring: { specialists: number | null; generalPractitioners: number | null; nursing: number | null };
  formalized: number;
  fillRate: number | null;
  dignification: {
    allocated: number;
    disbursed: number;
    fundsDeliveredPercent: number | null;
    projectsCompleted: number;
    projectsCompletedPercent: number | null;
  };
}

export interface NationalOverview {
  asOf: AsOf;
  states: StateOverview[];
}

/** The read model's rows, as queried (numbers already converted). */
export interface OverviewRows {
  stages: { stateCode: string; stage: string; stageSince: Date }[];
  transfer: {
    stateCode: string;
    unitsTotal: number;
    unitsByStatus: Record<string, number>;
    handedOverPercent: number;
    reRegisteredPercent: number;
  }[];
  hiring: { stateCode: string; category: string; percent: number | null }[];
  formalized: { stateCode: string; workers: number }[];
  supply: { stateCode: string; ordered: number; delivered: number }[];
  /**
   * Allocations seen in payments and completions, per state: of the current programme (the
   * latest year with an allocation-computed event), or of every programme while none is known.
   */
  allocations: {
    stateCode: string;
    allocations: number;
    allocated: number;
    disbursed: number;
    completed: number;
  }[];
  /**
   * Units funded and MXN allocated per state by the current programme's latest computation;
   * null when unknown (no such event yet, or one without per-state figures), when the
   * allocations seen in payments stand in.
   */
  allocated: { stateCode: string; units: number; amount: number }[] | null;
  sources: { service: string; asOf: Date }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `since` to `now` (0 when `since` lies ahead). */
export function wholeDays(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

const byState = <T extends { stateCode: string }>(rows: T[]) => new Map(rows.map((r) => [r.stateCode, r]));

/** The national overview of the 32 states from the read model's rows, as of `now`. */
export function buildOverview(rows: OverviewRows, now: Date): NationalOverview {
  const stages = byState(rows.stages);
  const transfer = byState(rows.transfer);
  const formalized = byState(rows.formalized);
  const supply = byState(rows.supply);
  const allocations = byState(rows.allocations);
  const planned = rows.allocated ? byState(rows.allocated) : null;
  const hiring = new Map(rows.hiring.map((h) => [`${h.stateCode}:${h.category}`, h.percent]));
  const sources = new Map(rows.sources.map((s) => [s.service, s.asOf.toISOString()]));
  const asOf: AsOf = {
    transfer: sources.get('transfer') ?? null,
    hr: sources.get('hr') ?? null,
    procurement: sources.get('procurement') ?? null,
    dignification: sources.get('dignification') ?? null,
  };
  const states = STATES.map(({ code, name }): StateOverview => {
    const stage = stages.get(code);
    const units = transfer.get(code);
    const s = supply.get(code);
    const a = allocations.get(code);
    const p = planned?.get(code);
    const allocated = planned ? (p?.amount ?? 0) : (a?.allocated ?? 0);
    const funded = planned ? (p?.units ?? 0) : (a?.allocations ?? 0);
    const disbursed = a?.disbursed ?? 0;
    const completed = a?.completed ?? 0;
    const pct = (category: string) => hiring.get(`${code}:${category}`) ?? null;
    return {
      stateCode: code,
      stateName: name,
      stage: stage?.stage ?? null,
      stageSince: stage?.stageSince.toISOString() ?? null,
      daysInStage: stage ? wholeDays(stage.stageSince, now) : null,
      units: {
        total: units?.unitsTotal ?? 0,
        handedOverPercent: units?.handedOverPercent ?? null,
        reRegisteredPercent: units?.reRegisteredPercent ?? null,
        byStatus: units?.unitsByStatus ?? {},
      },
      hiring: {
        specialists: pct(OVERVIEW_HIRING_CATEGORIES.specialists),
        generalPractitioners: pct(OVERVIEW_HIRING_CATEGORIES.generalPractitioners),
        nursing: pct(OVERVIEW_HIRING_CATEGORIES.nursing),
      },
      formalized: formalized.get(code)?.workers ?? 0,
      fillRate: s ? percentOrNull(s.delivered, s.ordered) : null,
      dignification: {
        allocated,
        disbursed,
        fundsDeliveredPercent: percentOrNull(disbursed, allocated),
        projectsCompleted: completed,
        projectsCompletedPercent: percentOrNull(completed, funded),
      },
    };
  });
  return { asOf, states };
}
