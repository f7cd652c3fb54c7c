import {
  CloudEvent,
  ContractViolation,
  CreateEventOptions,
  EventDefinition,
  createEvent,
  eventDefinition,
  eventKey,
  parseEnvelope,
  validatePayload,
} from '@imb/contracts';
import { EntityManager } from 'typeorm';

/** Channel the outbox relay LISTENs on; a trigger on the outbox table NOTIFYs it when rows commit. */
export const OUTBOX_CHANNEL = 'imb_outbox';

function assertInTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('events must be written inside a transaction (dataSource.transaction(manager => ...))');
  }
}

/** Inserts already-validated events with one statement. */
async function insertOutbox(manager: EntityManager, rows: { event: CloudEvent; topic: string; key: string }[]): Promise<void> {
  if (!rows.length) return;
  await manager.query(
    `INSERT INTO outbox (event_id, topic, key, type, correlation_id, event)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      rows.map((r) => r.event.id),
      rows.map((r) => r.topic),
      rows.map((r) => r.key),
      rows.map((r) => r.event.type),
      rows.map((r) => r.event.correlationid),
      rows.map((r) => JSON.stringify(r.event)),
    ],
  );
}

/**
 * Writes `event` into the outbox inside the caller's transaction: it is published if and only if
 * that transaction commits. The envelope and payload are validated against the catalogue first.
 */
export async function publish(manager: EntityManager, event: CloudEvent): Promise<CloudEvent> {
  assertInTransaction(manager);
  const def = eventDefinition(event.type);
  if (!def) throw new ContractViolation(`unknown event type ${event.type}`);
  parseEnvelope(JSON.stringify(event));
  const payload = validatePayload(def, event.data);
  await insertOutbox(manager, [{ event, topic: def.topic, key: eventKey(def, payload) }]);
  return event;
}

/** Builds the event for `def` from `data` (ids and context filled in, payload validated) and writes it to the outbox. */
export async function publishEvent<T extends object>(
  manager: EntityManager,
  def: EventDefinition<T>,
  data: T,
  opts?: CreateEventOptions,
): Promise<CloudEvent<T>> {
  const [event] = await publishEvents(manager, def, [data], opts);
  return event;
}

/** Like {@link publishEvent} for many payloads of one type, written with one statement (bulk operations). */
export async function publishEvents<T extends object>(
  manager: EntityManager,
  def: EventDefinition<T>,
  payloads: T[],
  opts?: CreateEventOptions,
): Promise<CloudEvent<T>[]> {
  assertInTransaction(manager);
  const events = payloads.map((data) => createEvent(def, data, opts));
  await insertOutbox(
    manager,
    events.map((event) => ({ event, topic: def.topic, key: eventKey(def, event.data) })),
  );
  return events;
}
