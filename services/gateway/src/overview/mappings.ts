import type {
  AllocationComputedV1,
  DeliveryReceivedV1,
  FundsDisbursedV1,
  HiringProgressUpdatedV1,
  ProjectCompletedV1,
  SupplyOrderIssuedV1,
  TransferProgressV1,
  WorkerFormalizedV1,
} from '@imb/contracts';

/** Pure mappings from event payloads (as the catalogue defines them) to the overview's rows. */

/** A state's transfer figures as stored. */
export interface TransferProgressRow {
  stateCode: string;
  unitsTotal: number;
  unitsByStatus: Record<string, number>;
  handedOverPercent: number;
  reRegisteredPercent: number;
  computedAt: string;
}

export function transferProgressRow(p: TransferProgressV1): TransferProgressRow {
  return {
    stateCode: p.stateCode,
    unitsTotal: p.unitsTotal,
    unitsByStatus: p.unitsByStatus,
    handedOverPercent: p.handedOverPercent,
    reRegisteredPercent: p.reRegisteredPercent,
    computedAt: p.computedAt,
  };
}

/** What a programme's allocation gave each state: units funded and MXN allocated. */
export interface StateAllocation {
  stateCode: string;
  units: number;
  amount: number;
}

/** What the overview keeps of a programme's latest allocation-computed event. */
export interface ProgrammeAllocation {
  programmeId: string;
  year: number;
  computedAt: string;
  /** Per state, or null when the event predates per-state figures (then allocations seen in payments stand in). */
  byState: StateAllocation[] | null;
}

/**
 * The latest computation of each programme in a run of allocation-computed events (by
 * `computedAt`; a later event with the same time wins), so a replay or a stale event delivered
 * late cannot replace a newer result.
 */
export function programmeAllocations(computed: AllocationComputedV1[]): ProgrammeAllocation[] {
  const latest = new Map<string, AllocationComputedV1>();
  for (const c of computed) {
    const seen = latest.get(c.programmeId);
    if (!seen || Date.parse(seen.computedAt) <= Date.parse(c.computedAt)) latest.set(c.programmeId, c);
  }
  return [...latest.values()].map((c) => ({
    programmeId: c.programmeId,
    year: c.year,
    computedAt: c.computedAt,
    byState: c.byState
      ? c.byState.map((s) => ({ stateCode: s.stateCode, units: s.units, amount: s.amount }))
      : null,
  }));
}

/** What the overview keeps of one allocation of a dignification programme. */
export interface AllocationRow {
  allocationId: string;
  programmeId: string;
  stateCode: string;
  /** MXN allocated to the unit; null until an event says it. */
  allocated: number | null;
  /** MXN paid so far (the highest running total seen: tranches may be applied in any order). */
  disbursed: number;
  /** When the works were verified, or null. */
  completedAt: string | null;
}

/**
 * The allocations touched by a run of disbursements and completions, one row each: a
 * disbursement carries the allocation's running total (`disbursedTotal`) and its amount, so the
 * result does not depend on how often or in which order tranches arrive.
 */
export function allocationRows(
  disbursed: FundsDisbursedV1[],
  completed: ProjectCompletedV1[],
): AllocationRow[] {
  const rows = new Map<string, AllocationRow>();
  const row = (allocationId: string, programmeId: string, stateCode: string) => {
    let r = rows.get(allocationId);
    if (!r)
      rows.set(
        allocationId,
        (r = { allocationId, programmeId, stateCode, allocated: null, disbursed: 0, completedAt: null }),
      );
    return r;
  };
  for (const d of disbursed) {
    const r = row(d.allocationId, d.programmeId, d.stateCode);
    r.allocated = Math.max(r.allocated ?? 0, d.allocated);
    r.disbursed = Math.max(r.disbursed, d.disbursedTotal);
  }
  for (const c of completed) {
    const r = row(c.allocationId, c.programmeId, c.stateCode);
    r.disbursed = Math.max(r.disbursed, c.disbursed);
    r.completedAt = r.completedAt && r.completedAt < c.completedAt ? r.completedAt : c.completedAt;
  }
  return [...rows.values()];
}

/** The hiring categories the overview shows, by the names HR uses. */
export const OVERVIEW_HIRING_CATEGORIES = {
  specialists: 'specialist',
  generalPractitioners: 'general-practitioner',
  nursing: 'nursing',
} as const;

export interface HiringRow {
  stateCode: string;
  category: string;
  percent: number | null;
  computedAt: string;
}

/** One row per category of a state's hiring progress. */
export function hiringRows(p: HiringProgressUpdatedV1): HiringRow[] {
  return p.categories.map((c) => ({
    stateCode: p.stateCode,
    category: c.category,
    percent: c.percent ?? null,
    computedAt: p.computedAt,
  }));
}

export interface FormalizedRow {
  workerKey: string;
  stateCode: string;
  formalizedAt: string;
}

/** A person counted once however often their formalization is announced. */
export function formalizedRow(p: WorkerFormalizedV1): FormalizedRow {
  return { workerKey: p.workerId, stateCode: p.stateCode, formalizedAt: p.appointedAt };
}

/**
 * What a supply event says about its order: the pieces ordered, and (for a delivery) the
 * order's running total delivered. Both are totals, so replays and any order of arrival give
 * the same figures.
 */
export interface SupplyRow {
  orderId: string;
  stateCode: string;
  ordered: number;
  delivered: number;
}

export function supplyOrderRow(p: SupplyOrderIssuedV1): SupplyRow {
  return { orderId: p.orderId, stateCode: p.stateCode, ordered: p.quantity, delivered: 0 };
}

export function deliveryRow(p: DeliveryReceivedV1): SupplyRow {
  return {
    orderId: p.orderId,
    stateCode: p.stateCode,
    ordered: p.orderQuantity,
    delivered: p.orderDelivered,
  };
}

/** `part` of `whole` in percent, rounded down to one decimal (100 means all); null when there is no whole. */
export function percentOrNull(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.floor((1000 * part) / whole) / 10;
}
