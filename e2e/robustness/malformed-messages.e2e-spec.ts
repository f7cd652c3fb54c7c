import { randomUUID } from 'node:crypto';
import { AssignerProtocol, Kafka } from 'kafkajs';
import { Client } from 'pg';
import {
  CloudEvent,
  createEvent,
  EventDefinition,
  eventDefinition,
  eventKey,
  eventTypesOnTopic,
  PayrollTransferred,
  RosterReconciled,
  StageChanged,
  StateEnrolled,
  UnitInventoried,
  UnitStatusChanged,
} from '@imb/contracts';
import { createKafka, EventProducer } from '@imb/messaging';
import { waitFor } from '@imb/testing';
import { databaseUrl, Stack, startStack } from './support/stack';

/**
 * Poison messages (ARCHITECTURE rule 3) to every consumer group of every service, found at run
 * time from the broker (the groups of this run's namespace and the topics they subscribe to):
 * not JSON, JSON but not a CloudEvent, an unknown type, a known type with an invalid payload,
 * an oversized message, an empty one and a deeply nested one. Each must be dead-lettered to
 * `<group>.dlq` with the error attached, and the group must go on consuming: a valid event sent
 * afterwards is applied (its id lands in the group's inbox).
 */

/** Valid payloads for the event types this test can make a proper event of. */
const SAMPLES: Array<{ def: EventDefinition<any>; data: () => object }> = [
  { def: StageChanged, data: () => ({ stateCode: '13', fromStage: 'PAYROLL', toStage: 'OPERATION', definitionVersion: 1, changedAt: new Date().toISOString() }) },
  {
    def: UnitInventoried,
    data: () => ({ unitId: randomUUID(), clues: 'HGSSA000016', stateCode: '13', name: 'CENTRO DE SALUD PRUEBA', institution: 'SSA', inventoriedAt: new Date().toISOString() }),
  },
  {
    def: UnitStatusChanged,
    data: () => ({ unitId: randomUUID(), clues: 'HGSSA000016', stateCode: '13', fromStatus: 'INVENTORIED', toStatus: 'INCLUDED', changedAt: new Date().toISOString() }),
  },
  { def: RosterReconciled, data: () => ({ stateCode: '13', workers: 10, reconciledAt: new Date().toISOString() }) },
  { def: PayrollTransferred, data: () => ({ stateCode: '13', workers: 10, effectiveDate: '2026-01-01' }) },
  { def: StateEnrolled, data: () => ({ stateCode: '13', enrolledAt: new Date().toISOString() }) },
];

interface Poison {
  name: string;
  value: string | null;
}

/** The malformed messages sent to a topic (`base` is the topic without the namespace). */
function poisons(base: string): Poison[] {
  const type = eventTypesOnTopic(base)[0] ?? 'transfer.stage-changed.v1';
  // `data` is spliced in as text: too deep for JSON.stringify, or with a key (__proto__) an object literal would not keep.
  const raw = (t: string, dataText: string) =>
    JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/imb/robustness', type: t, time: new Date().toISOString(), subject: '13', statecode: '13', datacontenttype: 'application/json', actor: 'mallory', correlationid: randomUUID(), data: null }).replace(
      '"data":null',
      () => `"data":${dataText}`,
    );
  const envelope = (t: string, data: unknown) => raw(t, JSON.stringify(data));
  return [
    { name: 'not JSON', value: "{'; DROP TABLE inbox; --" },
    { name: 'empty message', value: null },
    { name: 'JSON array', value: '[1,2,3]' },
    { name: 'JSON but not a CloudEvent', value: JSON.stringify({ hello: 'world', type: type }) },
    { name: 'unknown type', value: envelope('robustness.unknown-thing.v1', { stateCode: '13' }) },
    { name: 'known type, invalid payload', value: envelope(type, { stateCode: "'; DROP TABLE inbox; --", workers: -1, clues: 'X', toStage: 'NOWHERE' }) },
    { name: 'known type, payload with __proto__', value: raw(type, '{"__proto__":{"isAdmin":true},"stateCode":"99"}') },
    { name: 'deeply nested payload', value: raw(type, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`) },
    { name: 'oversized (900 kB)', value: envelope(type, { stateCode: '13', padding: 'x'.repeat(900_000) }) },
  ];
}

describe('malformed Kafka messages: dead-lettered, and every consumer keeps consuming', () => {
  let stack: Stack;
  let kafka: Kafka;
  let producer: EventProducer;
  /** Consumer groups of this run and the topics each subscribes to. */
  let groups: Map<string, string[]>;

  beforeAll(async () => {
    stack = await startStack('poison');
    kafka = createKafka({ clientId: 'robustness-poison' });
    producer = new EventProducer(kafka);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Services join their groups once started; wait until the set of groups stops growing and all are stable.
      let previous = '';
      groups = (await waitFor(
        async () => {
          const listed = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${stack.namespace}.`));
          const described = await admin.describeGroups(listed);
          const found = new Map<string, string[]>();
          for (const g of described.groups) {
            if (g.state !== 'Stable' || g.members.length === 0) return undefined;
            const topics = new Set<string>();
            for (const m of g.members) for (const t of AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? []) topics.add(t);
            found.set(g.groupId, [...topics].sort());
          }
          const key = JSON.stringify([...found]);
          const stable = key === previous && found.size > 0;
          previous = key;
          return stable ? found : undefined;
        },
        { timeoutMs: 90000, intervalMs: 2000, what: 'the consumer groups of every service to be stable' },
      )) as Map<string, string[]>;
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  /** Reads a dead-letter topic from the beginning into `sink` (header `robustness-id` → dlq headers). */
  async function readDlq(topic: string, sink: Map<string, Record<string, string>>) {
    const consumer = kafka.consumer({ groupId: `${topic}.reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (headers['robustness-id']) sink.set(headers['robustness-id'], headers);
      },
    });
    return consumer;
  }

  it('dead-letters every malformed message to <group>.dlq with the error, and a valid event afterwards is applied', async () => {
    const topics = [...new Set([...groups.values()].flat())].filter((t) => !t.endsWith('.dlq'));
    expect(groups.size).toBeGreaterThanOrEqual(stack.services.length - 1);

    // 1. Poison every topic any group reads.
    const sent: Array<{ id: string; topic: string; name: string }> = [];
    for (const topic of topics) {
      const base = topic.slice(stack.namespace.length + 1);
      for (const poison of poisons(base)) {
        const id = randomUUID();
        sent.push({ id, topic, name: poison.name });
        // A null value (a tombstone) is sent as such: kafkajs passes it through to the broker.
        await producer.send([{ topic, key: '13', value: poison.value as string, headers: { 'robustness-id': id } }]);
      }
    }

    // 2. Then valid events on every topic (of the types this test can build).
    const valid: Array<{ event: CloudEvent; topic: string }> = [];
    for (const topic of topics) {
      const base = topic.slice(stack.namespace.length + 1);
      for (const sample of SAMPLES.filter((s) => s.def.topic === base)) {
        const event = createEvent(sample.def, sample.data(), { actor: 'robustness' });
        valid.push({ event, topic });
        await producer.send([{ topic, key: eventKey(sample.def, event.data as object), value: JSON.stringify(event), headers: { 'robustness-valid': event.id } }]);
      }
    }

    // 3. Every group dead-letters every poison of its topics, with the error attached.
    const dlqs = new Map<string, Map<string, Record<string, string>>>();
    const readers = [];
    for (const group of groups.keys()) {
      const sink = new Map<string, Record<string, string>>();
      dlqs.set(group, sink);
      readers.push(await readDlq(`${group}.dlq`, sink));
    }
    try {
      await waitFor(
        () => [...groups].every(([group, groupTopics]) => sent.filter((s) => groupTopics.includes(s.topic)).every((s) => dlqs.get(group)!.has(s.id))),
        { timeoutMs: 90000, intervalMs: 500, what: 'every poison message in the dead-letter topic of every group' },
      );
    } finally {
      await Promise.all(readers.map((r) => r.disconnect()));
    }

    // 4. The groups are alive: the valid events sent after the poison are in their inbox.
    const serviceOf = (group: string) => stack.services.find((s) => group.startsWith(`${stack.namespace}.${s.name}.`))!;
    const rows: string[] = [];
    for (const [group, groupTopics] of groups) {
      const service = serviceOf(group);
      expect(service).toBeDefined();
      const mine = valid.filter((v) => groupTopics.includes(v.topic)).map((v) => v.event.id);
      const db = new Client({ connectionString: databaseUrl(service.database) });
      await db.connect();
      let applied: string[] = [];
      try {
        await waitFor(
          async () => {
            applied = (await db.query<{ event_id: string }>(`SELECT event_id FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [group, mine])).rows.map((r) => r.event_id);
            return mine.length === 0 || applied.length > 0;
          },
          { timeoutMs: 60000, intervalMs: 500, what: `a valid event applied by ${group}` },
        );
      } finally {
        await db.end();
      }
      const poisoned = sent.filter((s) => groupTopics.includes(s.topic));
      const errors = poisoned.map((s) => dlqs.get(group)!.get(s.id)!);
      expect(errors.every((h) => h['dlq-error'] && h['dlq-consumer-group'] === group && h['dlq-original-topic'])).toBe(true);
      rows.push(
        `${group.slice(stack.namespace.length + 1).padEnd(32)} ${String(groupTopics.length).padStart(2)} topics  ${String(poisoned.length).padStart(3)} poison → ${String(poisoned.filter((s) => dlqs.get(group)!.has(s.id)).length).padStart(3)} dead-lettered  ${mine.length ? `${applied.length}/${mine.length} valid events applied after` : 'no valid sample for its topics: liveness shown by the poison sent last being dead-lettered'}`,
      );
      if (mine.length === 0) {
        // No catalogue sample for these topics: the last poison, sent after all the others, was still handled.
        const last = poisoned[poisoned.length - 1];
        expect(dlqs.get(group)!.has(last.id)).toBe(true);
      } else {
        expect(applied.length).toBeGreaterThan(0);
      }
    }
    const reasons = new Map<string, string>();
    for (const s of sent) {
      const headers = [...dlqs.values()].map((d) => d.get(s.id)).find(Boolean);
      if (headers && !reasons.has(s.name)) reasons.set(s.name, headers['dlq-error'].slice(0, 110));
    }
    console.log(
      [
        `Poison messages: ${sent.length} sent to ${topics.length} topics read by ${groups.size} consumer groups (namespace ${stack.namespace})`,
        ...rows,
        '',
        ...[...reasons].map(([name, error]) => `${name.padEnd(40)} → ${error}`),
      ].join('\n'),
    );
    // The known event types used above are really catalogued (a renamed type would make this test vacuous).
    for (const s of SAMPLES) expect(eventDefinition(s.def.type)).toBeDefined();
  });
});
