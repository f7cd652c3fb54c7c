import { Topic } from './topics';

/** One event type of the catalogue: its versioned type, topic, payload class and Kafka key. */
export interface EventDefinition<T extends object = object> {
  /** `<service>.<event>.v<N>`; a breaking payload change means a new N. */
  type: string;
  topic: Topic;
  /** Producing service. */
  source: string;
  payload: new () => T;
  /** Payload field holding the aggregate id, used as the Kafka key so one aggregate's events stay in order. */
  keyField: keyof T & string;
  /** State code the event concerns, copied into the `statecode` extension. */
  stateCode?: (payload: T) => string | undefined;
  description: string;
  consumers: string[];
}

export function defineEvent<T extends object>(def: EventDefinition<T>): EventDefinition<T> {
  return def;
}

/** The Kafka key of an event of this definition. */
export function eventKey<T extends object>(def: EventDefinition<T>, payload: T): string {
  return String(payload[def.keyField]);
}
