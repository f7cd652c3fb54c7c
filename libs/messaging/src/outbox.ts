import {
  CloudEvent,
  ContractViolation,
  CreateEventOptions,
  EventDefinition,
  createEvent,
  currentContext,
  eventDefinition,
  eventKey,
  isStateCode,
  parseEnvelope,
  validatePayload,
} from '@imb/contracts';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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

/** COPY's text format escapes backslash, newline, carriage return and tab; JSON text has only the first. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const copyEscape = (text: string) => (/[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : text);
/** JSON text in COPY's format: JSON.stringify escapes control characters, so only backslashes need doubling. */
const copyJson = (value: unknown) => {
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
};

/** The same rows as {@link insertOutbox}, streamed with COPY: thousands of events without building array parameters. */
async function copyOutbox(manager: EntityManager, rows: { event: CloudEvent; topic: string; key: string }[]): Promise<void> {
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  const copy = client.query(copyFrom(`COPY outbox (event_id, topic, key, type, correlation_id, event) FROM STDIN`));
  function* lines() {
    for (let at = 0; at < rows.length; at += 500) {
      yield rows
        .slice(at, at + 500)
        .map((r) => [r.event.id, r.topic, r.key, r.event.type, r.event.correlationid].map(copyEscape).join('\t') + '\t' + copyJson(r.event) + '\n')
        .join('');
    }
  }
  await pipeline(Readable.from(lines(), { objectMode: false }), copy);
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

/**
 * Bulk fast path of {@link publishEvents} for jobs that emit one event per imported row, from
 * data they have already validated by the same rules as the payload class (an import of 64,000
 * units): each envelope is built exactly as `createEvent` builds it — same attributes, in the
 * same order, so the outbox row is byte for byte what `publishEvents` writes — but only the
 * first payload of the call goes through class-validator (proof that the caller builds what the
 * contract describes), not every one; every payload's state code is still checked. Consumers
 * validate every event they receive, so a payload that broke the contract would be
 * dead-lettered, never applied. Written with one COPY (same rows, same trigger); returns the events' ids.
 */
export async function publishValidatedEvents<T extends object>(
  manager: EntityManager,
  def: EventDefinition<T>,
  payloads: readonly T[],
  opts: CreateEventOptions = {},
): Promise<string[]> {
  assertInTransaction(manager);
  if (!payloads.length) return [];
  validatePayload(def, payloads[0]);
  const ctx = currentContext();
  const source = `/imb/${def.source}`;
  const time = (opts.time ?? new Date()).toISOString();
  const correlationid = opts.correlationId ?? ctx?.correlationId ?? randomUUID();
  const causationid = opts.causationId ?? ctx?.causationId;
  const actor = opts.actor ?? ctx?.actor ?? `system:${def.source}`;
  const rows = payloads.map((data) => {
    const key = eventKey(def, data);
    const stateCode = opts.stateCode ?? def.stateCode?.(data);
    if (stateCode !== undefined && !isStateCode(stateCode)) {
      throw new ContractViolation(`${def.type}: stateCode "${stateCode}" is not a state code`);
    }
    // The attribute order of createEvent.
    const event: CloudEvent<T> = {
      specversion: '1.0',
      id: opts.id && payloads.length === 1 ? opts.id : randomUUID(),
      source,
      type: def.type,
      time,
      subject: opts.subject ?? key,
      datacontenttype: 'application/json',
      ...(stateCode ? { statecode: stateCode } : {}),
      correlationid,
      ...(causationid ? { causationid } : {}),
      actor,
      data: { ...data },
    };
    return { event, topic: def.topic, key };
  });
  await copyOutbox(manager, rows);
  return rows.map((r) => r.event.id);
}
