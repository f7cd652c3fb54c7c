import { Consumer, EachBatchPayload, Kafka, KafkaMessage, IHeaders } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import {
  CloudEvent,
  ContractViolation,
  deadLetterTopic,
  eventDefinition,
  parseEnvelope,
  runInContext,
  validatePayload,
} from '@imb/contracts';
import { EventProducer } from './producer';
import { MessagingLogger, consoleLogger } from './logger';
import { isTransientInfrastructureError } from '@imb/platform';
import { ensureTopics } from './kafka';

/** Pause before a consumer kafkajs gave up on is started again. */
const CRASH_RESTART_MS = 2000;

export interface HandlerContext {
  /** The transaction the inbox row is written in: every effect must use it. */
  manager: EntityManager;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

/** Handles one validated event; `event.data` is an instance of the event's payload class. */
export type EventHandler = (event: CloudEvent<unknown>, ctx: HandlerContext) => Promise<void>;

/**
 * Handles a run of consecutive events of one type in one call (e.g. one multi-row statement for
 * a read model). Events arrive in partition order; apply them in the order given.
 */
export type BatchEventHandler = (events: CloudEvent<unknown>[], ctx: HandlerContext) => Promise<void>;

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Handlers by event type. */
  handlers: Record<string, EventHandler>;
  /** Batch handlers by event type; used instead of `handlers` for that type. */
  batchHandlers?: Record<string, BatchEventHandler>;
  /** Types this consumer deliberately skips; any other type without a handler is dead-lettered, never dropped. */
  ignore?: string[];
  /** Attempts per message before it is dead-lettered. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Messages applied per database transaction on the fast path. */
  transactionBatchSize?: number;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  logger?: MessagingLogger;
}

interface Decoded {
  message: KafkaMessage;
  event?: CloudEvent;
  /** Set when the message can never be processed: dead-letter it without retrying. */
  violation?: Error;
}

/**
 * Runs a Kafka consumer group whose handlers apply each event exactly once in effect: the event
 * id goes into the inbox table in the same transaction as the handler's writes, so a redelivery
 * finds it and changes nothing. A message that keeps failing is retried with backoff, then sent
 * to `<group>.dlq` with the error in its headers, and the partition moves on. Malformed messages
 * go to the DLQ at once. Database outages are not the message's fault: they stop the batch
 * without committing, and Kafka redelivers once the consumer restarts.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly opts: Required<Omit<ConsumerOptions, 'logger'>> & { logger: MessagingLogger };
  private readonly dlqTopic: string;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    options: ConsumerOptions,
  ) {
    this.opts = {
      ignore: [],
      batchHandlers: {},
      maxAttempts: 5,
      initialBackoffMs: 200,
      maxBackoffMs: 5000,
      transactionBatchSize: 500,
      partitionsConsumedConcurrently: 3,
      fromBeginning: true,
      logger: consoleLogger,
      ...options,
    };
    this.dlqTopic = deadLetterTopic(options.groupId);
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      // How long the broker waits for a silent (e.g. SIGKILLed) member before handing its
      // partitions to the others. Lower it (KAFKA_SESSION_TIMEOUT_MS) where restarts must be fast.
      sessionTimeout: kafkaSessionTimeoutMs(),
      heartbeatInterval: Math.min(3000, Math.floor(kafkaSessionTimeoutMs() / 3)),
      allowAutoTopicCreation: true,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000 },
    });
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, [...this.opts.topics, this.dlqTopic]);
    await this.producer.connect();
    // kafkajs restarts a consumer that crashed on a retriable error; one that crashed on any other
    // error (e.g. a TypeError) it leaves disconnected for good, and its events would wait unread
    // until the service restarts. Restart that one here, after a pause, until it runs again.
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.opts.logger.error(
        { err: payload.error, groupId: this.opts.groupId },
        `consumer crashed and kafkajs will not restart it; restarting it in ${CRASH_RESTART_MS} ms`,
      );
      this.restartAfterCrash();
    });
    await this.run();
  }

  private restartAfterCrash(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.run().catch((err: unknown) => {
        this.opts.logger.error(
          { err, groupId: this.opts.groupId },
          'restarting the crashed consumer failed; trying again',
        );
        this.restartAfterCrash();
      });
    }, CRASH_RESTART_MS).unref();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    // Right after a broker (re)start, metadata may still lag; retry the subscription for a while.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.consumer.subscribe({ topics: this.opts.topics, fromBeginning: this.opts.fromBeginning });
        break;
      } catch (err) {
        if (attempt >= 10) throw err;
        this.opts.logger.warn({ err, groupId: this.opts.groupId }, 'subscribing failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(300 * 2 ** attempt, 3000)));
      }
    }
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Finishes the batch in progress, commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect();
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const size = this.opts.transactionBatchSize;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!p.isRunning() || p.isStale()) return;
      const chunk = batch.messages.slice(i, i + size).map((m) => this.decode(m));
      await this.applyChunk(chunk, batch.topic, batch.partition, p);
      p.resolveOffset(chunk[chunk.length - 1].message.offset);
      await p.commitOffsetsIfNecessary();
      await p.heartbeat();
    }
  }

  private decode(message: KafkaMessage): Decoded {
    try {
      const event = parseEnvelope(message.value);
      const def = eventDefinition(event.type);
      if (!def) throw new ContractViolation(`unknown event type ${event.type}`);
      event.data = validatePayload(def, event.data);
      if (!this.hasHandler(event.type) && !this.opts.ignore.includes(event.type)) {
        throw new ContractViolation(`consumer group ${this.opts.groupId} has no handler for ${event.type}`);
      }
      return { message, event };
    } catch (err) {
      return { message, violation: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  /** Fast path: the whole chunk in one transaction; on any handler error, one message at a time. */
  private async applyChunk(
    chunk: Decoded[],
    topic: string,
    partition: number,
    p: EachBatchPayload,
  ): Promise<void> {
    const valid = chunk.filter((d) => d.event);
    try {
      if (valid.length) await this.dataSource.transaction((m) => this.applyInTransaction(valid, m, p));
    } catch (err) {
      if (isTransientInfrastructureError(err)) throw err;
      for (const d of chunk) {
        if (d.event) await this.applyWithRetries(d, topic, partition, p);
      }
      return this.deadLetterViolations(chunk, topic, partition);
    }
    await this.deadLetterViolations(chunk, topic, partition);
  }

  private async applyInTransaction(
    items: Decoded[],
    manager: EntityManager,
    p: EachBatchPayload,
  ): Promise<void> {
    const events = items.map((d) => d.event!);
    const fresh: { event_id: string }[] = await manager.query(
      `INSERT INTO inbox (consumer_group, event_id, event_type)
       SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS t(id, type)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.opts.groupId, events.map((e) => e.id), events.map((e) => e.type)],
    );
    const freshIds = new Set(fresh.map((r) => r.event_id));
    const seen = new Set<string>();
    // A batch can carry the same event twice (the relay re-sent it); apply it once.
    const todo = events.filter((e) => freshIds.has(e.id) && !seen.has(e.id) && seen.add(e.id));
    const ctx = { manager, heartbeat: () => p.heartbeat() };
    for (let i = 0; i < todo.length; ) {
      const event = todo[i];
      const batchHandler = this.opts.batchHandlers[event.type];
      if (batchHandler) {
        let j = i + 1;
        while (j < todo.length && todo[j].type === event.type) j++;
        const run = todo.slice(i, j);
        await runInContext(
          { correlationId: event.correlationid, causationId: event.id, actor: event.actor },
          () => batchHandler(run, ctx),
        );
        this.opts.logger.debug?.(
          { events: run.length, type: event.type, groupId: this.opts.groupId },
          'events applied',
        );
        i = j;
        continue;
      }
      const handler = this.opts.handlers[event.type];
      if (handler) {
        await runInContext(
          { correlationId: event.correlationid, causationId: event.id, actor: event.actor },
          async () => {
            await handler(event, ctx);
            this.opts.logger.debug?.(
              { eventId: event.id, type: event.type, groupId: this.opts.groupId },
              'event applied',
            );
          },
        );
      }
      i++;
    }
  }

  private hasHandler(type: string): boolean {
    return Boolean(this.opts.handlers[type] ?? this.opts.batchHandlers[type]);
  }

  private async applyWithRetries(
    d: Decoded,
    topic: string,
    partition: number,
    p: EachBatchPayload,
  ): Promise<void> {
    let delay = this.opts.initialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.transaction((m) => this.applyInTransaction([d], m, p));
        return;
      } catch (err) {
        if (isTransientInfrastructureError(err)) throw err;
        if (attempt >= this.opts.maxAttempts) {
          await this.deadLetter(d.message, topic, partition, err, attempt);
          return;
        }
        this.opts.logger.warn(
          { err, eventId: d.event?.id, attempt, groupId: this.opts.groupId },
          'event handler failed; retrying',
        );
        await sleepWithHeartbeat(delay, p);
        delay = Math.min(delay * 2, this.opts.maxBackoffMs);
      }
    }
  }

  private async deadLetterViolations(chunk: Decoded[], topic: string, partition: number): Promise<void> {
    for (const d of chunk) {
      if (d.violation) await this.deadLetter(d.message, topic, partition, d.violation, 1);
    }
  }

  private async deadLetter(
    message: KafkaMessage,
    topic: string,
    partition: number,
    err: unknown,
    attempts: number,
  ) {
    const error = err instanceof Error ? err.message : String(err);
    this.opts.logger.error(
      { groupId: this.opts.groupId, topic, partition, offset: message.offset, error, attempts },
      `event dead-lettered to ${this.dlqTopic}`,
    );
    await this.producer.send([
      {
        topic: this.dlqTopic,
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: {
          ...stringHeaders(message.headers),
          'dlq-error': error.slice(0, 4000),
          'dlq-original-topic': topic,
          'dlq-original-partition': String(partition),
          'dlq-original-offset': message.offset,
          'dlq-attempts': String(attempts),
          'dlq-consumer-group': this.opts.groupId,
          'dlq-failed-at': new Date().toISOString(),
        },
      },
    ]);
  }
}

/** Kafka headers as plain strings (dead-letter headers are prefixed `dlq-`). */
export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

async function sleepWithHeartbeat(ms: number, p: EachBatchPayload): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
    await p.heartbeat();
  }
}

/** Consumer session timeout from KAFKA_SESSION_TIMEOUT_MS (6000–300000, the broker's limits), default 30 s. */
export function kafkaSessionTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KAFKA_SESSION_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 30000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 6000 || value > 300000) {
    throw new Error(
      `KAFKA_SESSION_TIMEOUT_MS must be an integer between 6000 and 300000 (milliseconds), got '${raw}'`,
    );
  }
  return value;
}
