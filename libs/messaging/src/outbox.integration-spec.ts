import { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CloudEvent, StageChanged, Topics } from '@imb/contracts';
import { createTestDataSource, testBrokers, uniqueName, waitFor } from '@imb/testing';
import { EventProducer, MessagingMigrations, OutboxRelay, createKafka, ensureTopics, publishEvent } from './index';

const stage = (stateCode: string, n: number) => ({
  stateCode,
  fromStage: null,
  toStage: 'DIAGNOSIS' as const,
  definitionVersion: n,
  changedAt: new Date().toISOString(),
});

describe('transactional outbox and relay (real PostgreSQL + Kafka)', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let kafka: Kafka;
  let producer: EventProducer;
  let prefix: string;
  let consumer: Consumer;
  const received: CloudEvent[] = [];

  beforeAll(async () => {
    db = await createTestDataSource({ name: 'outbox', migrations: MessagingMigrations });
    ds = db.dataSource;
    kafka = createKafka({ clientId: 'outbox-test', brokers: testBrokers });
    producer = new EventProducer(kafka);
    prefix = `${uniqueName('t')}.`;
    consumer = kafka.consumer({ groupId: uniqueName('outbox-test') });
    await consumer.connect();
    await ensureTopics(kafka, [prefix + Topics.TransferStateTransfer]);
    await consumer.subscribe({ topic: prefix + Topics.TransferStateTransfer, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(JSON.parse(message.value!.toString()) as CloudEvent);
      },
    });
  });

  afterAll(async () => {
    await consumer.disconnect();
    await producer.disconnect();
    await db.destroy();
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('never publishes an event written in a rolled-back transaction; publishes a committed one once with two relays', async () => {
    await expect(
      ds.transaction(async (m) => {
        await publishEvent(m, StageChanged, stage('13', 1));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const committed = await ds.transaction((m) => publishEvent(m, StageChanged, stage('18', 1)));

    const relays = [1, 2].map(() => new OutboxRelay(ds, producer, { topicPrefix: prefix, pollIntervalMs: 50 }));
    await Promise.all(relays.map((r) => r.start()));
    await waitFor(() => received.some((e) => e.id === committed.id), { what: 'the committed event' });
    await new Promise((r) => setTimeout(r, 1500));
    await Promise.all(relays.map((r) => r.stop()));

    expect(received.filter((e) => e.id === committed.id)).toHaveLength(1);
    expect(received.filter((e) => e.data && (e.data as { stateCode: string }).stateCode === '13')).toHaveLength(0);
    const [{ unsent }] = await ds.query(`SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL`);
    expect(unsent).toBe(0);
  });

  it('publishes a row committed after a later sequence number was already published', async () => {
    const relay = new OutboxRelay(ds, producer, { topicPrefix: prefix, pollIntervalMs: 50 });
    await relay.start();
    const slow = ds.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const early = await publishEvent(slow.manager, StageChanged, stage('20', 1)); // takes the lower seq
    const late = await ds.transaction((m) => publishEvent(m, StageChanged, stage('21', 1)));
    await waitFor(() => received.some((e) => e.id === late.id), { what: 'the later event' });
    expect(received.some((e) => e.id === early.id)).toBe(false);
    await slow.commitTransaction();
    await slow.release();
    await waitFor(() => received.some((e) => e.id === early.id), { what: 'the earlier, slower event' });
    await relay.stop();
  });

  it('keeps per-key order with two relays and concurrent writers', async () => {
    const keys = ['01', '02', '03', '04', '05', '06'];
    const perKey = 150;
    const relays = [1, 2].map(() => new OutboxRelay(ds, producer, { topicPrefix: prefix, batchSize: 40, pollIntervalMs: 20 }));
    await Promise.all(relays.map((r) => r.start()));
    // One writer per key (as an aggregate lock would serialize them), all keys concurrently.
    await Promise.all(
      keys.map(async (k) => {
        for (let n = 1; n <= perKey; n++) await ds.transaction((m) => publishEvent(m, StageChanged, stage(k, n)));
      }),
    );
    await waitFor(() => received.length >= keys.length * perKey, { timeoutMs: 60000, what: 'all events' });
    await Promise.all(relays.map((r) => r.stop()));
    for (const k of keys) {
      const ns = received.filter((e) => (e.data as { stateCode: string }).stateCode === k).map((e) => (e.data as { definitionVersion: number }).definitionVersion);
      expect(ns).toEqual([...new Set(ns)].sort((a, b) => a - b));
      expect(new Set(ns).size).toBe(perKey);
    }
  });
});
