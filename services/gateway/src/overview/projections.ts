import type { EntityManager } from 'typeorm';
import {
  AllocationComputed,
  AllocationComputedV1,
  CloudEvent,
  DeliveryReceived,
  FundsDisbursed,
  FundsDisbursedV1,
  HiringProgressUpdated,
  HiringProgressUpdatedV1,
  ProjectCompleted,
  ProjectCompletedV1,
  StageChanged,
  StageChangedV1,
  SupplyOrderIssued,
  TransferProgressUpdated,
  TransferProgressV1,
  WorkerFormalized,
  WorkerFormalizedV1,
} from '@imb/contracts';
import { applyStageChanged } from '@imb/states';
import {
  allocationRows,
  deliveryRow,
  programmeAllocations,
  formalizedRow,
  hiringRows,
  supplyOrderRow,
  SupplyRow,
  transferProgressRow,
} from './mappings';
/** Applies a run of events of one type to the overview's tables, inside the consumer's transaction. */
export type Projection = (events: CloudEvent<unknown>[], manager: EntityManager) => Promise<void>;

const payloads = <T>(events: CloudEvent<unknown>[]) => events.map((e) => e.data as T);

const stageChanges: Projection = async (events, m) => {
  for (const event of events) await applyStageChanged(event as CloudEvent<StageChangedV1>, m);
};

const transferProgress: Projection = async (events, m) => {
  for (const r of payloads<TransferProgressV1>(events).map(transferProgressRow)) {
    await m.query(
      `INSERT INTO overview_transfer_progress (state_code, units_total, units_by_status, handed_over_percent, re_registered_percent, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (state_code) DO UPDATE SET units_total = EXCLUDED.units_total, units_by_status = EXCLUDED.units_by_status,
         handed_over_percent = EXCLUDED.handed_over_percent, re_registered_percent = EXCLUDED.re_registered_percent, computed_at = EXCLUDED.computed_at
       WHERE overview_transfer_progress.computed_at <= EXCLUDED.computed_at`,
      [
        r.stateCode,
        r.unitsTotal,
        JSON.stringify(r.unitsByStatus),
        r.handedOverPercent,
        r.reRegisteredPercent,
        r.computedAt,
      ],
    );
  }
};

/**
 * A programme's allocation per state, replaced as a whole by its latest computation: an event
 * older than the one stored (by `computedAt`) changes nothing.
 */
const allocationComputed: Projection = async (events, m) => {
  for (const p of programmeAllocations(payloads<AllocationComputedV1>(events))) {
    const applied = await m.query<{ programme_id: string }[]>(
      `INSERT INTO overview_programme (programme_id, year, computed_at, by_state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (programme_id) DO UPDATE SET year = EXCLUDED.year, computed_at = EXCLUDED.computed_at, by_state = EXCLUDED.by_state
       WHERE overview_programme.computed_at <= EXCLUDED.computed_at
       RETURNING programme_id`,
      [p.programmeId, p.year, p.computedAt, p.byState !== null],
    );
    if (!applied.length) continue;
    await m.query(`DELETE FROM overview_programme_state WHERE programme_id = $1`, [p.programmeId]);
    const states = p.byState ?? [];
    await m.query(
      `INSERT INTO overview_programme_state (programme_id, state_code, units, amount)
       SELECT $1, * FROM unnest($2::char(2)[], $3::int[], $4::numeric[])`,
      [
        p.programmeId,
        states.map((s) => s.stateCode),
        states.map((s) => s.units),
        states.map((s) => s.amount),
      ],
    );
  }
};

/** Disbursements and completions share the allocation rows; one set-based upsert per run. */
function allocations(kind: 'disbursed' | 'completed'): Projection {
  return async (events, m) => {
    const rows =
      kind === 'disbursed'
        ? allocationRows(payloads<FundsDisbursedV1>(events), [])
        : allocationRows([], payloads<ProjectCompletedV1>(events));
    await m.query(
      `INSERT INTO overview_allocation (allocation_id, state_code, allocated, disbursed, completed_at, programme_id)
       SELECT * FROM unnest($1::uuid[], $2::char(2)[], $3::numeric[], $4::numeric[], $5::timestamptz[], $6::uuid[])
       ON CONFLICT (allocation_id) DO UPDATE SET
         programme_id = coalesce(overview_allocation.programme_id, EXCLUDED.programme_id),
         allocated = GREATEST(overview_allocation.allocated, EXCLUDED.allocated),
         disbursed = GREATEST(overview_allocation.disbursed, EXCLUDED.disbursed),
         completed_at = LEAST(overview_allocation.completed_at, EXCLUDED.completed_at)`,
      [
        rows.map((r) => r.allocationId),
        rows.map((r) => r.stateCode),
        rows.map((r) => r.allocated),
        rows.map((r) => r.disbursed),
        rows.map((r) => r.completedAt),
        rows.map((r) => r.programmeId),
      ],
    );
  };
}

const hiringProgress: Projection = async (events, m) => {
  for (const r of payloads<HiringProgressUpdatedV1>(events).flatMap(hiringRows)) {
    await m.query(
      `INSERT INTO overview_hiring (state_code, category, percent, computed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (state_code, category) DO UPDATE SET percent = EXCLUDED.percent, computed_at = EXCLUDED.computed_at
       WHERE overview_hiring.computed_at <= EXCLUDED.computed_at`,
      [r.stateCode, r.category, r.percent, r.computedAt],
    );
  }
};

const workersFormalized: Projection = async (events, m) => {
  const rows = payloads<WorkerFormalizedV1>(events).map(formalizedRow);
  await m.query(
    `INSERT INTO overview_formalized_worker (worker_key, state_code, formalized_at)
     SELECT * FROM unnest($1::text[], $2::char(2)[], $3::timestamptz[]) ON CONFLICT (worker_key) DO NOTHING`,
    [rows.map((r) => r.workerKey), rows.map((r) => r.stateCode), rows.map((r) => r.formalizedAt)],
  );
};

/** Orders and deliveries carry totals of their order; the highest seen wins. */
function supply<T>(toRow: (payload: T) => SupplyRow): Projection {
  return async (events, m) => {
    for (const r of payloads<T>(events).map(toRow)) {
      await m.query(
        `INSERT INTO overview_supply_order (order_id, state_code, ordered, delivered) VALUES ($1, $2, $3, $4)
         ON CONFLICT (order_id) DO UPDATE SET
           ordered = GREATEST(overview_supply_order.ordered, EXCLUDED.ordered),
           delivered = GREATEST(overview_supply_order.delivered, EXCLUDED.delivered)`,
        [r.orderId, r.stateCode, r.ordered, r.delivered],
      );
    }
  };
}

/**
 * What each event type changes in the overview, by type. Every other catalogued event still
 * reaches the state's timeline and the source's "data as of"; to show a new figure, add its
 * mapping in mappings.ts and its projection here.
 */
export const PROJECTIONS: Record<string, Projection> = {
  [StageChanged.type]: stageChanges,
  [TransferProgressUpdated.type]: transferProgress,
  [AllocationComputed.type]: allocationComputed,
  [FundsDisbursed.type]: allocations('disbursed'),
  [ProjectCompleted.type]: allocations('completed'),
  [HiringProgressUpdated.type]: hiringProgress,
  [WorkerFormalized.type]: workersFormalized,
  [SupplyOrderIssued.type]: supply(supplyOrderRow),
  [DeliveryReceived.type]: supply(deliveryRow),
};
