/**
 * Kafka topics, named `<service>.<aggregate>.v<N>` (CONTRACT.md). The version is the topic's
 * layout; each event type on it carries its own version too.
 */
export const Topics = {
  /** Everything about one state's transfer process; key = state code. */
  TransferStateTransfer: 'transfer.state-transfer.v1',
  /** Everything about one health unit (CLUES); key = the unit's stable id, which survives re-registration. */
  TransferUnit: 'transfer.unit.v1',
  /** A state's staff roster and payroll; key = state code. */
  HrRoster: 'hr.roster.v1',
  /** Hiring targets and progress of a state; key = state code. */
  HrHiring: 'hr.hiring.v1',
  /** Everything about one worker (formalization into a permanent post); key = the worker's id. */
  HrWorker: 'hr.worker.v1',
  /** Which states buy through IMSS-BIENESTAR in the consolidated purchase; key = state code. */
  ProcurementEnrollment: 'procurement.enrollment.v1',
  /** A consolidated-purchase exercise: its calendar and its consolidated demand; key = exercise code. */
  ProcurementExercise: 'procurement.exercise.v1',
  /** The tender of an exercise: award or desertion of each clave; key = clave. */
  ProcurementTender: 'procurement.tender.v1',
  /** Supply orders on open contracts and their deliveries; key = supply order id. */
  ProcurementSupply: 'procurement.supply.v1',
  /** A dignification programme: its allocation and the disbursements paid from it; key = programme id. */
  DignificationProgramme: 'dignification.programme.v1',
  /** Each service's audit chain head, kept by the gateway outside the service's database; key = service. */
  AuditChain: 'audit.chain.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Dead-letter topic of a consumer group. */
export function deadLetterTopic(groupId: string): string {
  return `${groupId}.dlq`;
}
