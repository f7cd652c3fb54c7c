import { TRANSFER_STAGES, TransferStage, Topics, eventTypesOnTopic } from '@imb/contracts';

/** A stage on the path to federal operation (DECLINED and SUSPENDED have no gate). */
export type PathStage = (typeof TRANSFER_STAGES)[number];

/** One item of a stage's gate: closed by a person with evidence, or by another service's event. */
export interface GateItem {
  /** Stable id within the definition, used in URLs (`/checklist/{id}`). */
  id: string;
  title: string;
  source: 'manual' | 'event';
  /** For event items: the catalogued event type that closes it. */
  eventType?: string;
}

/**
 * The data a definition version holds: for every stage on the path, the checklist that must be
 * closed to leave it forward. Stored as jsonb in `stage_definition.definition`.
 */
export interface StageDefinitionBody {
  stages: { stage: PathStage; gate: GateItem[] }[];
}

/**
 * Event types that can close a gate item: every type on the topics the gates consumer reads, so
 * a definition can only name events this service actually receives.
 */
export const GATE_EVENT_TOPICS = [Topics.HrRoster, Topics.ProcurementEnrollment];
export const GATE_EVENT_TYPES = GATE_EVENT_TOPICS.flatMap((t) => eventTypesOnTopic(t));

export function isPathStage(stage: TransferStage): stage is PathStage {
  return (TRANSFER_STAGES as readonly string[]).includes(stage);
}

/**
 * The rules a definition must follow beyond the shape of its items: every path stage exactly
 * once, item ids unique across the definition (so an id names one item in URLs and audit), event
 * items name a known event type and manual items none. Returns the problems, empty when valid.
 */
export function definitionProblems(body: StageDefinitionBody): string[] {
  const problems: string[] = [];
  for (const stage of TRANSFER_STAGES) {
    const count = body.stages.filter((s) => s.stage === stage).length;
    if (count !== 1) problems.push(`stage ${stage} must appear exactly once (found ${count})`);
  }
  const seen = new Set<string>();
  for (const { stage, gate } of body.stages) {
    for (const item of gate) {
      if (seen.has(item.id)) problems.push(`item id "${item.id}" is used more than once`);
      seen.add(item.id);
      if (item.source === 'event' && !GATE_EVENT_TYPES.includes(item.eventType ?? '')) {
        problems.push(
          `${stage}/${item.id}: an event item needs eventType, one of ${GATE_EVENT_TYPES.join(', ')} (got ${item.eventType ?? 'none'})`,
        );
      }
      if (item.source === 'manual' && item.eventType !== undefined) {
        problems.push(`${stage}/${item.id}: a manual item is closed by a person and takes no eventType`);
      }
    }
  }
  return problems;
}

/** The definition with its stages in path order and only the known fields of each item (what gets stored). */
export function normalizeDefinition(body: StageDefinitionBody): StageDefinitionBody {
  const order = (s: PathStage) => TRANSFER_STAGES.indexOf(s);
  return {
    stages: [...body.stages]
      .sort((a, b) => order(a.stage) - order(b.stage))
      .map(({ stage, gate }) => ({
        stage,
        gate: gate.map(({ id, title, source, eventType }) => (source === 'event' ? { id, title, source, eventType } : { id, title, source })),
      })),
  };
}
