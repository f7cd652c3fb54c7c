import {
  ChecklistItemCompletedV1,
  CloudEvent,
  redactCurps,
  DeliveryReceivedV1,
  EvidenceFlaggedV1,
  FundsDisbursedV1,
  HiringProgressUpdatedV1,
  PayrollTransferredV1,
  ProjectCompletedV1,
  RosterReconciledV1,
  StageChangedV1,
  StateEnrolledV1,
  StateOperationalV1,
  SupplyOrderIssuedV1,
  TransferProgressV1,
  UnitInventoriedV1,
  UnitReRegisteredV1,
  UnitStatusChangedV1,
  WorkerFormalizedV1,
} from '@imb/contracts';

/** One line of a state's timeline, from an event or (merged in when read) an audit record. */
export interface TimelineItem {
  at: string;
  service: string;
  kind: 'event' | 'audit';
  type: string;
  summary: string;
  actor: string;
  entityId: string;
}

/** A timeline line of an event, as stored (the event id makes storing it idempotent). */
export interface TimelineEvent extends Omit<TimelineItem, 'kind'> {
  eventId: string;
  stateCode: string;
}

const mxn = (n: number) => `MXN ${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/**
 * A sentence a person reads in the timeline, by event type; other types get a generic one. Every
 * role of the state reads the timeline, so no sentence names a person (docs/data-access.md).
 */
const SUMMARIES: Record<string, (data: never) => string> = {
  'transfer.stage-changed.v1': (d: StageChangedV1) =>
    `Stage ${d.fromStage ?? '(start)'} → ${d.toStage}${d.reason ? `: ${d.reason}` : ''}`,
  'transfer.checklist-item-completed.v1': (d: ChecklistItemCompletedV1) =>
    `Gate item "${d.title}" of ${d.stage} closed by ${d.source === 'event' ? d.completedBy : 'hand'}${d.evidence ? ` (evidence ${d.evidence.reference})` : ''}`,
  'transfer.state-operational.v1': (d: StateOperationalV1) =>
    `Operating fully under IMSS-BIENESTAR since ${d.operationalSince.slice(0, 10)}`,
  'transfer.progress-updated.v1': (d: TransferProgressV1) =>
    `${d.unitsTotal} units: ${d.handedOverPercent} % handed over, ${d.reRegisteredPercent} % re-registered; ${d.openGateItems} gate items open`,
  'transfer.unit-inventoried.v1': (d: UnitInventoriedV1) => `Unit ${d.clues} (${d.name}) inventoried`,
  'transfer.unit-status-changed.v1': (d: UnitStatusChangedV1) =>
    `Unit ${d.clues}: ${d.fromStatus} → ${d.toStatus}${d.reason ? ` (${d.reason})` : ''}`,
  'transfer.unit-re-registered.v1': (d: UnitReRegisteredV1) =>
    `Unit ${d.previousClues} re-registered as ${d.clues}`,
  'hr.roster-reconciled.v1': (d: RosterReconciledV1) => `Staff roster reconciled: ${d.workers} workers`,
  'hr.payroll-transferred.v1': (d: PayrollTransferredV1) =>
    `Payroll of ${d.workers} workers federalized from ${d.effectiveDate}`,
  'hr.hiring-progress-updated.v1': (d: HiringProgressUpdatedV1) =>
    `Hiring progress: ${d.categories.map((c) => `${c.category} ${c.filled}/${c.target}${c.percent === null ? '' : ` (${c.percent} %)`}`).join(', ')}`,
  'hr.worker-formalized.v1': (d: WorkerFormalizedV1) =>
    `1 worker appointed to base post ${d.postNumber} (${d.postCode}) at ${d.clues}`,
  'procurement.supply-order-issued.v1': (d: SupplyOrderIssuedV1) =>
    `Supply order of ${d.quantity} pieces of ${d.clave} issued to ${d.supplierRfc}, due ${d.dueDate}`,
  'procurement.delivery-received.v1': (d: DeliveryReceivedV1) =>
    `${d.quantity} pieces of ${d.clave} delivered${d.daysLate ? ` ${d.daysLate} days late` : ''} (${d.orderDelivered} of ${d.orderQuantity})`,
  'procurement.state-enrolled.v1': (d: StateEnrolledV1) =>
    `Enrolled in the consolidated purchase${d.exerciseCode ? ` ${d.exerciseCode}` : ''}`,
  'dignification.funds-disbursed.v1': (d: FundsDisbursedV1) =>
    `${mxn(d.amount)} paid to the committee of ${d.clues} (${mxn(d.disbursedTotal)} of ${mxn(d.allocated)})`,
  'dignification.evidence-flagged.v1': (d: EvidenceFlaggedV1) =>
    `Photo of the works at ${d.clues} flagged: ${d.reason}`,
  'dignification.project-completed.v1': (d: ProjectCompletedV1) =>
    `Works at ${d.clues} completed, verified by ${d.verifiedBy}`,
};

/** `hr.worker-formalized.v1` → `worker formalized`. */
export function describeType(type: string): string {
  const [, name = type] = /^[a-z-]+\.([a-z-]+)\.v\d+$/.exec(type) ?? [];
  return name.replace(/-/g, ' ');
}

/** The service that produced an event (`/imb/transfer` → `transfer`). */
export const serviceOf = (event: CloudEvent<unknown>) => event.source.replace(/^\/imb\//, '');

/** The timeline line of an event about a state, or null for events about no state (e.g. a national allocation). */
export function timelineEvent(event: CloudEvent<unknown>): TimelineEvent | null {
  if (!event.statecode) return null;
  const summarize = SUMMARIES[event.type];
  const summary = summarize
    ? summarize(event.data as never)
    : `${serviceOf(event)}: ${describeType(event.type)}`;
  return {
    eventId: event.id,
    stateCode: event.statecode,
    at: event.time,
    service: serviceOf(event),
    type: event.type,
    // Free texts (reasons) come from people: a CURP typed into one must not reach the timeline either.
    summary: redactCurps(summary).slice(0, 1000),
    actor: event.actor,
    entityId: event.subject,
  };
}

/** An audit record as a timeline line. */
export function timelineAudit(record: {
  occurredAt: string;
  service: string;
  action: string;
  entity: string;
  entityId: string;
  actor: string;
  reason?: string | null;
}): TimelineItem {
  return {
    at: record.occurredAt,
    service: record.service,
    kind: 'audit',
    type: record.action,
    summary: redactCurps(`${record.action} on ${record.entity} ${record.entityId}${record.reason ? `: ${record.reason}` : ''}`),
    actor: record.actor,
    entityId: record.entityId,
  };
}
