import { TransferProgressV1, TransferStage, UNIT_STATUSES, UnitStatus } from '@imb/contracts';

/** Units already received by IMSS-BIENESTAR (acta signed), at any later step too. */
const HANDED_OVER: readonly UnitStatus[] = ['HANDED_OVER', 'RE_REGISTERED', 'OPERATING'];
/** Units registered under their new IMB CLUES, at any later step too. */
const RE_REGISTERED: readonly UnitStatus[] = ['RE_REGISTERED', 'OPERATING'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** One state's transfer figures. */
export interface StateProgress {
  stateCode: string;
  stateName: string;
  stage: TransferStage;
  stageSince: string;
  /** Whole days (24-hour periods) since the current stage began. */
  daysInStage: number;
  unitsTotal: number;
  /** Every status of the unit lifecycle, with 0 for those no unit is in. */
  unitsByStatus: Record<UnitStatus, number>;
  /** The units the transfer covers: all except the excluded ones. */
  includedUnits: number;
  handedOverPercent: number;
  reRegisteredPercent: number;
  /** Items of the current stage's gate still open. */
  openGateItems: number;
  computedAt: string;
}

/** The raw figures of one state as read from the database. */
export interface StateProgressRow {
  stateCode: string;
  stateName: string;
  stage: TransferStage;
  stageSince: Date;
  unitsByStatus: Record<string, number>;
  openGateItems: number;
  computedAt: Date;
}

/**
 * `part` as a percentage of `whole`, rounded down to one decimal, so that 100 means all of them;
 * 0 when there is nothing to count.
 */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((1000 * part) / whole) / 10;
}

/** Whole days from `since` to `now`; 0 when `since` lies ahead. */
export function wholeDaysBetween(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** Unit counts of one scope (a state, the country): every status, the total and the percentages. */
export function unitFigures(counts: Partial<Record<string, number>>) {
  const unitsByStatus = Object.fromEntries(UNIT_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<UnitStatus, number>;
  const sum = (statuses: readonly UnitStatus[]) => statuses.reduce((n, s) => n + unitsByStatus[s], 0);
  const unitsTotal = sum(UNIT_STATUSES);
  const includedUnits = unitsTotal - unitsByStatus.EXCLUDED;
  return {
    unitsTotal,
    unitsByStatus,
    includedUnits,
    handedOverPercent: percentOf(sum(HANDED_OVER), includedUnits),
    reRegisteredPercent: percentOf(sum(RE_REGISTERED), includedUnits),
  };
}

/** A state's figures from its database row. */
export function stateProgress(row: StateProgressRow): StateProgress {
  return {
    stateCode: row.stateCode,
    stateName: row.stateName,
    stage: row.stage,
    stageSince: row.stageSince.toISOString(),
    daysInStage: wholeDaysBetween(row.stageSince, row.computedAt),
    ...unitFigures(row.unitsByStatus),
    openGateItems: row.openGateItems,
    computedAt: row.computedAt.toISOString(),
  };
}

/** What the `transfer.progress-updated.v1` event carries for a state. */
export function progressEventPayload(p: StateProgress): TransferProgressV1 {
  return { ...progressSnapshot(p), computedAt: p.computedAt };
}

/**
 * The figures whose change is worth an event: everything but the time of computing. Stored as
 * the state's last emitted snapshot and compared with the next computation.
 */
export function progressSnapshot(p: StateProgress): Omit<TransferProgressV1, 'computedAt'> {
  return {
    stateCode: p.stateCode,
    stage: p.stage,
    daysInStage: p.daysInStage,
    unitsTotal: p.unitsTotal,
    unitsByStatus: p.unitsByStatus,
    handedOverPercent: p.handedOverPercent,
    reRegisteredPercent: p.reRegisteredPercent,
    openGateItems: p.openGateItems,
  };
}

/** The country's figures: sums over the states, percentages of the summed units (not averages of percentages). */
export function nationalTotals(states: readonly StateProgress[]) {
  const counts: Record<string, number> = {};
  const statesByStage: Record<string, number> = {};
  let openGateItems = 0;
  for (const s of states) {
    for (const [status, n] of Object.entries(s.unitsByStatus)) counts[status] = (counts[status] ?? 0) + n;
    statesByStage[s.stage] = (statesByStage[s.stage] ?? 0) + 1;
    openGateItems += s.openGateItems;
  }
  return { states: states.length, statesByStage, ...unitFigures(counts), openGateItems };
}
