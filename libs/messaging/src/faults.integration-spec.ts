import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { StageChanged, StageChangedV1, Topics } from '@imb/contracts';
import { createTestDataSource, kafkaCtl, testBrokers, uniqueName, waitFor } from '@imb/testing';
import { CreateTestEffects1764100000001, EFFECT_SUMMARY_SQL } from './testing/effect-table';
import { ConsumerRunner, EventProducer, MessagingMigrations, OutboxRelay, createKafka, ensureTopics, publishEvent } from './index';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const KEYS = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));

/** Writes `total` events through the outbox, spread over the 32 state keys, numbered per key. */
async function writeEvents(ds: DataSource, total: number, perTransaction = 100): Promise<void> {
  const counters = new Map<string, number>();
  for (let i = 0; i < total; i += perTransaction) {
    await ds.transaction(async (m) => {
      for (let j = i; j < Math.min(total, i + perTransaction); j++) {
        const key = KEYS[j % KEYS.length];
        const n = (counters.get(key) ?? 0) + 1;
        counters.set(key, n);
        await publishEvent(m, StageChanged, {
          stateCode: key,
          fromStage: null,
          toStage: 'DIAGNOSIS',
          definitionVersion: n,
          changedAt: new Date().toISOString(),
        });
      }
    });
  }
}

describe('nothing lost, nothing applied twice, under faults (real PostgreSQL + Kafka)', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let kafka: Kafka;
  const summary = async () => (await ds.query(EFFECT_SUMMARY_SQL))[0] as { rows: number; distinct_events: number; out_of_order: number };

  beforeEach(async () => {
    db = await createTestDataSource({ name: 'faults', migrations: [...MessagingMigrations, CreateTestEffects1764100000001] });
    ds = db.dataSource;
    kafka = createKafka({ clientId: 'faults-test', brokers: testBrokers });
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('10,000 events in flight survive a SIGKILL of the broker: 10,000 distinct effects, per-key order kept', async () => {
    const prefix = `${uniqueName('t')}.`;
    const topic = prefix + Topics.TransferStateTransfer;
    const groupId = uniqueName('broker-kill');
    await ensureTopics(kafka, [topic]);
    const producer = new EventProducer(kafka);
    const relay = new OutboxRelay(ds, producer, { topicPrefix: prefix, logger: quiet });
    const runner = new ConsumerRunner(kafka, ds, producer, {
      groupId,
      topics: [topic],
      logger: quiet,
      handlers: {
        'transfer.stage-changed.v1': async (event, { manager }) => {
          const d = event.data as StageChangedV1;
          await manager.query(`INSERT INTO test_effect (event_id, key, n) VALUES ($1, $2, $3)`, [event.id, d.stateCode, d.definitionVersion]);
        },
      },
    });
    await runner.start();
    await relay.start();
    const writing = writeEvents(ds, 10000);
    await waitFor(async () => (await summary()).rows >= 1500, { timeoutMs: 60000, what: '1,500 effects before the kill' });
    await kafkaCtl('kill');
    await writing; // the outbox keeps accepting work while the broker is down
    await kafkaCtl('start');
    await waitFor(async () => (await summary()).distinct_events >= 10000, { timeoutMs: 240000, intervalMs: 500, what: '10,000 effects' });
    await new Promise((r) => setTimeout(r, 2000)); // let any redelivery land before counting
    expect(await summary()).toEqual({ rows: 10000, distinct_events: 10000, out_of_order: 0 });
    await runner.stop();
    await relay.stop();
    await producer.disconnect();
  });

  it('a consumer process killed with SIGKILL mid-batch and restarted applies no event twice', async () => {
    const prefix = `${uniqueName('t')}.`;
    const topic = prefix + Topics.TransferStateTransfer;
    const groupId = uniqueName('consumer-kill');
    await ensureTopics(kafka, [topic]);
    await writeEvents(ds, 3000, 500);
    const producer = new EventProducer(kafka);
    const relay = new OutboxRelay(ds, producer, { topicPrefix: prefix, logger: quiet });
    await relay.drain();

    const start = (): ChildProcess =>
      spawn(process.execPath, [join(__dirname, '..', 'dist', 'testing', 'effect-consumer.js')], {
        env: { ...process.env, TEST_DATABASE: db.database, TEST_GROUP: groupId, TEST_TOPIC: topic, HANDLER_DELAY_MS: '2' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    const first = start();
    await waitFor(async () => (await summary()).rows >= 700, { timeoutMs: 60000, what: '700 effects before the kill' });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = (await summary()).rows;
    expect(killedAt).toBeLessThan(3000);

    const second = start();
    await waitFor(async () => (await summary()).distinct_events >= 3000, { timeoutMs: 120000, what: '3,000 effects after the restart' });
    await new Promise((r) => setTimeout(r, 1000));
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
    expect(await summary()).toEqual({ rows: 3000, distinct_events: 3000, out_of_order: 0 });
    await producer.disconnect();
  });
});
