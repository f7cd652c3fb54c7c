import { EventDefinition } from './event-definition';
import { StageChanged } from './events/stage-changed';

/** Every event type of the platform. docs/events.md is generated from this list. */
export const EVENT_CATALOGUE: EventDefinition[] = [StageChanged as EventDefinition];

const byType = new Map(EVENT_CATALOGUE.map((d) => [d.type, d]));

/** The definition of an event type, or undefined for a type the platform does not know. */
export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
