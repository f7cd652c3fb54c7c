import { EventDefinition } from './event-definition';
import { AuditChainAnchored } from './events/audit-chain';
import { AllocationComputed, EvidenceFlagged, FundsDisbursed, ProjectCompleted } from './events/dignification-programme';
import { WorkerFormalized } from './events/hr-formalization';
import { HiringProgressUpdated } from './events/hr-hiring';
import { PayrollTransferred, RosterReconciled } from './events/hr-roster';
import { StateEnrolled } from './events/procurement-enrollment';
import { DemandConsolidated, ExerciseStageChanged } from './events/procurement-exercise';
import { AwardIssued, ClaveDeserted, DeliveryReceived, SupplyOrderIssued } from './events/procurement-supply';
import { StageChanged } from './events/stage-changed';
import { ChecklistItemCompleted, StateOperational, TransferProgressUpdated } from './events/transfer-state';
import { UnitInventoried, UnitReRegistered, UnitStatusChanged } from './events/transfer-unit';

/** Every event type of the platform. docs/events.md is generated from this list. */
export const EVENT_CATALOGUE = [
  StageChanged,
  ChecklistItemCompleted,
  StateOperational,
  TransferProgressUpdated,
  UnitInventoried,
  UnitStatusChanged,
  UnitReRegistered,
  RosterReconciled,
  PayrollTransferred,
  HiringProgressUpdated,
  WorkerFormalized,
  StateEnrolled,
  ExerciseStageChanged,
  DemandConsolidated,
  AwardIssued,
  ClaveDeserted,
  SupplyOrderIssued,
  DeliveryReceived,
  AllocationComputed,
  FundsDisbursed,
  EvidenceFlagged,
  ProjectCompleted,
  ...Object.values(AuditChainAnchored),
] as EventDefinition[];

const byType = new Map(EVENT_CATALOGUE.map((d) => [d.type, d]));

/** The definition of an event type, or undefined for a type the platform does not know. */
export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** Every catalogued event type carried by `topic`. */
export function eventTypesOnTopic(topic: string): string[] {
  return EVENT_CATALOGUE.filter((d) => d.topic === topic).map((d) => d.type);
}
