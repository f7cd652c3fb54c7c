import { CloudEvent, ContractViolation, CreateEventOptions, EventDefinition, createEvent, eventDefinition, eventKey, parseEnvelope, validatePayload } from '@imb/contracts';
import { EntityManager } from 'typeorm';

/** Channel the outbox relay LISTENs on; NOTIFY is delivered only when the writing transaction commits. */
export const OUTBOX_CHANNEL = 'imb_outbox';

/**
 * Writes `event` into the outbox inside the caller's transaction: it is published if and only if
 * that transaction commits. The event is validated against the catalogue first.
 */
export async function publish(manager: EntityManager, event: CloudEvent): Promise<CloudEvent> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('publish() must run inside a transaction (dataSource.transaction(manager => ...))');
  }
  const def = eventDefinition(event.type);
  if (!def) throw new ContractViolation(`unknown event type ${event.type}`);
  parseEnvelope(JSON.stringify(event));
  const payload = validatePayload(def, event.data);
  await manager.query(
    `INSERT INTO outbox (event_id, topic, key, type, event) VALUES ($1, $2, $3, $4, $5)`,
    [event.id, def.topic, eventKey(def, payload), event.type, JSON.stringify(event)],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return event;
}

/** Builds the event for `def` from `data` (ids and context filled in) and writes it to the outbox. */
export async function publishEvent<T extends object>(
  manager: EntityManager,
  def: EventDefinition<T>,
  data: T,
  opts?: CreateEventOptions,
): Promise<CloudEvent<T>> {
  const event = createEvent(def, data, opts);
  await publish(manager, event);
  return event;
}
