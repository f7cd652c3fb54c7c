import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { StageChanged, StageChangedV1, Topics, createEvent } from '@imb/contracts';
import { ConsumerRunner, EventProducer, MessagingMigrations, OutboxRelay, createKafka, ensureTopics, eventHeaders, publishEvents } from '@imb/messaging';
import { createTestDataSource, uniqueName } from '@imb/testing';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { BenchResult } from './report';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const KEYS = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));

class CreateBenchEffects1764100000002 implements MigrationInterface {
  name = 'CreateBenchEffects1764100000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE bench_effect (event_id uuid NOT NULL, key text NOT NULL, n int NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bench_effect`);
  }
}

function payload(i: number): StageChangedV1 {
  return { stateCode: KEYS[i % 32], fromStage: null, toStage: 'DIAGNOSIS', definitionVersion: i + 1, changedAt: new Date().toISOString() };
}

/** Raw kafkajs: produce N events in batches (acks=all) and consume them all with eachBatch. */
async function rawKafka(kafka: Kafka, total: number): Promise<number> {
  const topic = uniqueName('bench-raw');
  await ensureTopics(kafka, [topic]);
  const producer = new EventProducer(kafka);
  await producer.connect();
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    // Parses every message, as the pipeline's consumer does, so both pay for decoding.
    eachBatch: ({ batch }) => {
      for (const m of batch.messages) JSON.parse(m.value!.toString());
      seen += batch.messages.length;
      if (seen >= total) resolveDone();
      return Promise.resolve();
    },
  });
  const events = Array.from({ length: total }, (_, i) => createEvent(StageChanged, payload(i)));
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i += 500) {
    await producer.send(
      events.slice(i, i + 500).map((e) => ({ topic, key: e.subject, value: JSON.stringify(e), headers: eventHeaders(e) })),
    );
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await consumer.disconnect();
  await producer.disconnect();
  return total / seconds;
}

/** The platform's path: outbox rows committed in transactions → relay → Kafka → consumer runner with inbox + effect. */
async function pipeline(kafka: Kafka, total: number): Promise<number> {
  const db = await createTestDataSource({ name: 'bench', migrations: [...MessagingMigrations, CreateBenchEffects1764100000002] });
  const ds: DataSource = db.dataSource;
  const prefix = `${uniqueName('bench')}.`;
  const topic = prefix + Topics.TransferStateTransfer;
  await ensureTopics(kafka, [topic]);
  const producer = new EventProducer(kafka);
  const relay = new OutboxRelay(ds, producer, { topicPrefix: prefix, logger: quiet, pollIntervalMs: 50 });
  const runner = new ConsumerRunner(kafka, ds, producer, {
    groupId: uniqueName('bench-pipeline'),
    topics: [topic],
    logger: quiet,
    handlers: {},
    // A read-model style consumer: each run of events becomes one multi-row insert, in the inbox's transaction.
    batchHandlers: {
      [StageChanged.type]: async (events, { manager }) => {
        const data = events.map((e) => e.data as StageChangedV1);
        await manager.query(
          `INSERT INTO bench_effect (event_id, key, n) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])`,
          [events.map((e) => e.id), data.map((d) => d.stateCode), data.map((d) => d.definitionVersion)],
        );
      },
    },
  });
  await runner.start();
  await relay.start();
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i += 500) {
    await ds.transaction(async (m) => {
      await publishEvents(m, StageChanged, Array.from({ length: Math.min(500, total - i) }, (_, k) => payload(i + k)));
    });
  }
  for (;;) {
    const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM inbox`);
    if (n >= total) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await runner.stop();
  await relay.stop();
  await producer.disconnect();
  await db.destroy();
  return total / seconds;
}

export async function benchEventPipeline(total = Number(process.env.BENCH_EVENTS ?? 20000)): Promise<BenchResult> {
  const kafka = createKafka({ clientId: 'bench' });
  const raw = await rawKafka(kafka, total);
  const ours = await pipeline(kafka, total);
  return {
    name: 'event pipeline (outbox → Kafka → idempotent consumer) vs raw kafkajs produce+consume',
    value: ours,
    unit: 'events/s',
    baseline: raw,
    ratio: ours / raw,
    target: '≥ 0.5 × raw',
    met: ours / raw >= 0.5,
    notes: `${total} events, 32 keys, 3 partitions; outbox written 500 events per transaction, consumer applies runs of events with one insert`,
  };
}
