import { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CloudEvent, ContractViolation, Topics, UnitInventoried, UnitInventoriedV1 } from '@imb/contracts';
import { createTestDataSource, testBrokers, uniqueName, waitFor } from '@imb/testing';
import { CreateTestEffects1764100000001 } from './testing/effect-table';
import {
  ConsumerRunner,
  EventProducer,
  MessagingMigrations,
  OutboxRelay,
  createKafka,
  ensureTopics,
  publishEvents,
  publishValidatedEvents,
} from './index';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const unit = (n: number, extra: Partial<UnitInventoriedV1> = {}): UnitInventoriedV1 => ({
  unitId: randomUUID(),
  clues: `HGSSA${String(n).padStart(6, '0')}`,
  stateCode: '13',
  name: `CENTRO DE SALUD ${n} "EL ÁLAMO" \\ PACHUCA`,
  institution: 'SSA',
  establishmentType: n % 2 ? 'DE CONSULTA EXTERNA' : undefined,
  latitude: 20.123456 + n / 1e6,
  longitude: -98.7,
  inventoriedAt: new Date().toISOString(),
  ...extra,
});

describe('publishValidatedEvents: the bulk outbox fast path (real PostgreSQL + Kafka)', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let kafka: Kafka;
  let producer: EventProducer;

  beforeAll(async () => {
    db = await createTestDataSource({ name: 'outbox_bulk', migrations: [...MessagingMigrations, CreateTestEffects1764100000001] });
    ds = db.dataSource;
    kafka = createKafka({ clientId: 'outbox-bulk-test', brokers: testBrokers });
    producer = new EventProducer(kafka);
  });

  afterAll(async () => {
    await producer.disconnect();
    await db.destroy();
  });

  it('writes the same outbox row, byte for byte, as publishEvents', async () => {
    const payload = unit(1);
    const opts = { time: new Date('2025-01-02T03:04:05.678Z'), correlationId: 'corr-1', actor: 'user:hilda' };
    const [slow, fast] = [randomUUID(), randomUUID()];
    await ds.transaction(async (m) => {
      await publishEvents(m, UnitInventoried, [payload], { ...opts, id: slow });
      await publishValidatedEvents(m, UnitInventoried, [payload], { ...opts, id: fast });
    });
    const rows = await ds.query<{ event_id: string; topic: string; key: string; type: string; correlation_id: string; event: string }[]>(
      `SELECT event_id, topic, key, type, correlation_id, event FROM outbox WHERE event_id = ANY($1::uuid[]) ORDER BY seq`,
      [[slow, fast]],
    );
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect({ ...b, event_id: slow, event: b.event.replace(fast, slow) }).toEqual(a);
    expect(JSON.parse(b.event)).toMatchObject({ id: fast, statecode: '13', subject: payload.unitId, actor: 'user:hilda', data: { name: payload.name } });
    expect(JSON.parse(b.event).data).not.toHaveProperty('typology');
  });

  it('refuses a payload of the wrong shape, a bad state code, and a write outside a transaction', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM outbox`))[0].n;
    await expect(
      ds.transaction((m) => publishValidatedEvents(m, UnitInventoried, [{ ...unit(2), clues: 'NOT A KEY' }])),
    ).rejects.toThrow(ContractViolation);
    await expect(
      ds.transaction((m) => publishValidatedEvents(m, UnitInventoried, [unit(3), { ...unit(4), stateCode: '99' }])),
    ).rejects.toThrow(/stateCode "99" is not a state code/);
    await expect(publishValidatedEvents(ds.manager, UnitInventoried, [unit(5)])).rejects.toThrow(/inside a transaction/);
    expect((await ds.query(`SELECT count(*)::int AS n FROM outbox`))[0].n).toBe(before);
  });

  it('publishes events the real consumer runner validates and applies, each once', async () => {
    const prefix = `${uniqueName('bulk')}.`;
    const topic = prefix + Topics.TransferUnit;
    const groupId = uniqueName('bulk-group');
    await ensureTopics(kafka, [topic]);
    const dead: string[] = [];
    const runner = new ConsumerRunner(kafka, ds, producer, {
      groupId,
      topics: [topic],
      maxAttempts: 2,
      initialBackoffMs: 50,
      logger: { ...quiet, error: (_o: object, msg: string) => dead.push(msg) },
      handlers: {
        [UnitInventoried.type]: async (event, { manager }) => {
          const data = event.data as UnitInventoriedV1;
          // The payload arrives as the validated class instance with every field intact.
          if (!(data instanceof UnitInventoriedV1) || typeof data.latitude !== 'number') throw new Error('payload not validated');
          await manager.query(`INSERT INTO test_effect (event_id, key, n) VALUES ($1, $2, $3)`, [event.id, data.clues, Number(data.clues.slice(5))]);
        },
      },
    });
    await runner.start();
    const relay = new OutboxRelay(ds, producer, { topicPrefix: prefix, pollIntervalMs: 50 });
    try {
      const total = 2500;
      const ids = await ds.transaction((m) =>
        publishValidatedEvents(
          m,
          UnitInventoried,
          Array.from({ length: total }, (_, i) => unit(1000 + i)),
          { correlationId: 'bulk-import' },
        ),
      );
      expect(new Set(ids).size).toBe(total);
      await relay.start();
      await waitFor(
        async () => (await ds.query(`SELECT count(*)::int AS n FROM test_effect WHERE event_id = ANY($1::uuid[])`, [ids]))[0].n === total || undefined,
        { timeoutMs: 60000, what: 'the consumer to apply every bulk event' },
      );
      const [row] = await ds.query(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM test_effect WHERE event_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(row).toEqual({ n: total, d: total });
      const [inbox] = await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [groupId, ids]);
      expect(inbox.n).toBe(total);
      const sample = JSON.parse((await ds.query(`SELECT event FROM outbox WHERE event_id = $1`, [ids[0]]))[0].event) as CloudEvent;
      expect(sample).toMatchObject({ specversion: '1.0', source: '/imb/transfer', type: UnitInventoried.type, correlationid: 'bulk-import', actor: 'system:transfer' });
      expect(dead).toEqual([]);
    } finally {
      await relay.stop();
      await runner.stop();
    }
  });
});
