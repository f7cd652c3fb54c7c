import { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { StageChanged, StageChangedV1, createEvent, deadLetterTopic } from '@imb/contracts';
import { createTestDataSource, testBrokers, uniqueName, waitFor } from '@imb/testing';
import { CreateTestEffects1764100000001, EFFECT_SUMMARY_SQL } from './testing/effect-table';
import { ConsumerRunner, EventProducer, MessagingMigrations, createKafka, ensureTopics, eventHeaders, replayDeadLetters, stringHeaders } from './index';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function stageEvent(stateCode: string, n: number) {
  return createEvent(StageChanged, {
    stateCode,
    fromStage: null,
    toStage: 'DIAGNOSIS',
    definitionVersion: n,
    changedAt: new Date().toISOString(),
  });
}

describe('consumer runner: inbox, retries, dead letters (real PostgreSQL + Kafka)', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let kafka: Kafka;
  let producer: EventProducer;
  let topic: string;
  let groupId: string;
  let runner: ConsumerRunner;
  let poisonFixed = false;
  const dlq: { value: string; headers: Record<string, string> }[] = [];
  let dlqConsumer: Consumer;

  const summary = async () => (await ds.query(EFFECT_SUMMARY_SQL))[0] as { rows: number; distinct_events: number; out_of_order: number };
  const send = (values: { key: string; value: string; headers?: Record<string, string> }[]) =>
    producer.send(values.map((v) => ({ topic, key: v.key, value: v.value, headers: v.headers ?? {} })));

  beforeAll(async () => {
    db = await createTestDataSource({ name: 'consumer', migrations: [...MessagingMigrations, CreateTestEffects1764100000001] });
    ds = db.dataSource;
    kafka = createKafka({ clientId: 'consumer-test', brokers: testBrokers });
    producer = new EventProducer(kafka);
    topic = uniqueName('consumer-test');
    groupId = uniqueName('test-group');
    await ensureTopics(kafka, [topic, deadLetterTopic(groupId)]);
    runner = new ConsumerRunner(kafka, ds, producer, {
      groupId,
      topics: [topic],
      maxAttempts: 3,
      initialBackoffMs: 50,
      logger: quiet,
      handlers: {
        'transfer.stage-changed.v1': async (event, { manager }) => {
          const data = event.data as StageChangedV1;
          await manager.query(`INSERT INTO test_effect (event_id, key, n) VALUES ($1, $2, $3)`, [event.id, data.stateCode, data.definitionVersion]);
          if (data.definitionVersion === 666 && !poisonFixed) throw new Error('cannot apply event 666');
        },
      },
    });
    await runner.start();
    dlqConsumer = kafka.consumer({ groupId: uniqueName('dlq-watch') });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: deadLetterTopic(groupId), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        dlq.push({ value: message.value?.toString() ?? '', headers: stringHeaders(message.headers) });
      },
    });
  });

  afterAll(async () => {
    await runner.stop();
    await dlqConsumer.disconnect();
    await producer.disconnect();
    await db.destroy();
  });

  it('applies a redelivered event once', async () => {
    const e = stageEvent('13', 1);
    const msg = { key: '13', value: JSON.stringify(e), headers: eventHeaders(e) };
    await send([msg, msg]);
    await send([msg]);
    await waitFor(async () => (await summary()).rows >= 1, { what: 'the effect' });
    const marker = stageEvent('13', 2);
    await send([{ key: '13', value: JSON.stringify(marker) }]);
    await waitFor(async () => (await summary()).rows >= 2, { what: 'the marker after the duplicates' });
    const s = await summary();
    expect(s).toEqual({ rows: 2, distinct_events: 2, out_of_order: 0 });
    const [{ inbox }] = await ds.query(`SELECT count(*)::int AS inbox FROM inbox WHERE consumer_group = $1`, [groupId]);
    expect(inbox).toBe(2);
  });

  it('dead-letters a poison message after the retries while later messages keep flowing; replay re-delivers it', async () => {
    const poison = stageEvent('14', 666);
    const after = [1, 2, 3].map((n) => stageEvent('14', n));
    await send([poison, ...after].map((e) => ({ key: '14', value: JSON.stringify(e), headers: eventHeaders(e) })));
    await waitFor(() => dlq.find((d) => d.headers['ce-id'] === poison.id), { what: 'the poison message in the DLQ' });
    await waitFor(async () => {
      const ids: { event_id: string }[] = await ds.query(`SELECT event_id FROM test_effect WHERE key = '14'`);
      return after.every((e) => ids.some((r) => r.event_id === e.id));
    }, { what: 'the messages after the poison' });
    const dead = dlq.find((d) => d.headers['ce-id'] === poison.id)!;
    expect(dead.headers['dlq-error']).toContain('cannot apply event 666');
    expect(dead.headers['dlq-attempts']).toBe('3');
    expect(dead.headers['dlq-original-topic']).toBe(topic);
    const [{ applied }] = await ds.query(`SELECT count(*)::int AS applied FROM test_effect WHERE event_id = $1`, [poison.id]);
    expect(applied).toBe(0);

    poisonFixed = true;
    const replay = await replayDeadLetters(kafka, groupId);
    expect(replay.replayed).toBeGreaterThanOrEqual(1);
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM test_effect WHERE event_id = $1`, [poison.id]);
      return n === 1;
    }, { what: 'the replayed poison message applied' });
    expect(await replayDeadLetters(kafka, groupId)).toEqual({ replayed: 0, byTopic: {} });
  });

  it('batch handlers apply runs of events in order, once, even when the run is redelivered', async () => {
    const group = uniqueName('batch-group');
    const applied: number[] = [];
    const batchRunner = new ConsumerRunner(kafka, ds, producer, {
      groupId: group,
      topics: [topic],
      logger: quiet,
      handlers: {},
      batchHandlers: {
        'transfer.stage-changed.v1': async (events, { manager }) => {
          const rows = events.map((e) => e.data as StageChangedV1).filter((d) => d.stateCode === '16');
          applied.push(...rows.map((d) => d.definitionVersion));
          for (const d of rows) {
            await manager.query(`INSERT INTO test_effect (event_id, key, n) VALUES (gen_random_uuid(), 'batch', $1)`, [d.definitionVersion]);
          }
        },
      },
    });
    const events = Array.from({ length: 50 }, (_, i) => stageEvent('16', i + 1));
    const messages = events.map((e) => ({ key: '16', value: JSON.stringify(e), headers: eventHeaders(e) }));
    await send(messages);
    await send(messages.slice(10, 30)); // redelivered
    await batchRunner.start();
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM test_effect WHERE key = 'batch'`);
      return n >= 50;
    }, { what: '50 batch effects' });
    await new Promise((r) => setTimeout(r, 500));
    await batchRunner.stop();
    expect(applied).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('dead-letters malformed messages at once and keeps running', async () => {
    const good = stageEvent('15', 1);
    const badPayload = { ...stageEvent('15', 2), data: { stateCode: '99', toStage: 'NOWHERE' } };
    const unknownType = { ...stageEvent('15', 3), type: 'transfer.stage-changed.v9' };
    await send([
      { key: '15', value: 'this is not json' },
      { key: '15', value: JSON.stringify({ hello: 'world' }) },
      { key: '15', value: JSON.stringify(badPayload) },
      { key: '15', value: JSON.stringify(unknownType) },
      { key: '15', value: JSON.stringify(good) },
    ]);
    await waitFor(async () => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM test_effect WHERE event_id = $1`, [good.id]);
      return n === 1;
    }, { what: 'the good message after the malformed ones' });
    await waitFor(() => dlq.filter((d) => d.headers['dlq-attempts'] === '1').length >= 4, { what: '4 malformed dead letters' });
    const errors = dlq.filter((d) => d.headers['dlq-attempts'] === '1').map((d) => d.headers['dlq-error']);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('not JSON'),
        expect.stringContaining('invalid CloudEvents envelope'),
        expect.stringContaining('stateCode'),
        expect.stringContaining('unknown event type transfer.stage-changed.v9'),
      ]),
    );
  });

  it('restarts a consumer that kafkajs gave up on after a non-retriable crash, and applies its events once', async () => {
    const group = uniqueName('crash-group');
    const errors: string[] = [];
    const crashRunner = new ConsumerRunner(kafka, ds, producer, {
      groupId: group,
      topics: [topic],
      logger: { ...quiet, error: (_obj: object, msg: string) => void errors.push(msg) },
      handlers: {
        'transfer.stage-changed.v1': async (event, { manager }) => {
          const data = event.data as StageChangedV1;
          if (data.stateCode === '17') {
            await manager.query(`INSERT INTO test_effect (event_id, key, n) VALUES ($1, 'crash', $2)`, [event.id, data.definitionVersion]);
          }
        },
      },
    });
    // A bug outside the handlers (here: the first batch throws a TypeError) crashes the kafkajs
    // consumer with an error it does not retry; kafkajs then leaves it disconnected.
    const internals = crashRunner as unknown as { eachBatch: (p: unknown) => Promise<void> };
    const eachBatch = internals.eachBatch.bind(crashRunner);
    let crashes = 0;
    internals.eachBatch = async (p) => {
      if (crashes++ === 0) throw new TypeError('a bug outside the handlers');
      return eachBatch(p);
    };
    const events = Array.from({ length: 5 }, (_, i) => stageEvent('17', i + 1));
    await send(events.map((e) => ({ key: '17', value: JSON.stringify(e), headers: eventHeaders(e) })));
    await crashRunner.start();
    try {
      await waitFor(
        async () => {
          const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM test_effect WHERE key = 'crash'`);
          return n >= 5;
        },
        { timeoutMs: 30000, what: 'the 5 events applied after the crash' },
      );
      const [{ rows, distinct }] = await ds.query(
        `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM test_effect WHERE key = 'crash'`,
      );
      expect({ rows, distinct }).toEqual({ rows: 5, distinct: 5 });
      expect(errors).toContainEqual(expect.stringContaining('kafkajs will not restart it'));
    } finally {
      await crashRunner.stop();
    }
  });
});
