import { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { EventProducer, eventHeaders } from './producer';
import { OUTBOX_CHANNEL } from './outbox';
import { MessagingLogger, consoleLogger } from './logger';

export interface OutboxRelayOptions {
  /** Rows published per transaction. */
  batchSize?: number;
  /** Poll interval; NOTIFY usually wakes the relay sooner. */
  pollIntervalMs?: number;
  /** Prepended to every topic, to run isolated environments (or tests) on one cluster. */
  topicPrefix?: string;
  logger?: MessagingLogger;
}

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  /** The CloudEvent as JSON text, sent as it is (no parse and re-serialize). */
  event: string;
  id: string;
  type: string;
  correlationid: string;
}

/**
 * Publishes committed outbox rows to Kafka and marks them sent.
 *
 * Rows are selected by state (`sent_at IS NULL`), never by a "last seq seen" watermark, so a
 * row whose transaction commits after a later sequence number was already published is still
 * found on the next pass. Several relays may run: each locks its batch with FOR UPDATE SKIP
 * LOCKED, and a row is held back while an earlier unsent row of the same key exists outside the
 * batch (locked by another relay), so each key's events reach Kafka in sequence order.
 * Delivery is at-least-once (a crash between send and commit re-sends); consumers deduplicate.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly topicPrefix: string;
  private timer?: NodeJS.Timeout;
  private listener?: PoolClient;
  private running = false;
  private draining?: Promise<void>;
  private wakeAgain = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: EventProducer,
    opts: OutboxRelayOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 2000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 500;
    this.logger = opts.logger ?? consoleLogger;
    this.topicPrefix = opts.topicPrefix ?? '';
  }

  /** Starts listening for NOTIFY and polling. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.schedule(0);
  }

  /** Stops after the batch in progress (if any) has been published and marked. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    // A batch stuck on an unreachable broker is abandoned after 10 s; its rows stay unsent for the next relay.
    await Promise.race([this.draining, new Promise((r) => setTimeout(r, 10000).unref())]);
    if (this.listener) {
      this.listener.removeAllListeners();
      this.listener.release(true);
      this.listener = undefined;
    }
  }

  /** Publishes everything currently committed in the outbox; returns how many rows were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { sent, held } = await this.publishBatch();
      total += sent;
      // Held rows wait for another relay to publish their key's earlier rows; the next pass takes them.
      if (sent === 0 || sent + held < this.batchSize) return total;
    }
  }

  /** One transaction: lock a batch, send it in order, mark it sent. */
  async publishBatch(): Promise<{ sent: number; held: number }> {
    return this.dataSource.transaction(async (m) => {
      const rows: (OutboxRow & { blocked: boolean })[] = await m.query(
        `WITH batch AS (
           SELECT seq, topic, key, event, event_id, type, correlation_id FROM outbox
            WHERE sent_at IS NULL ORDER BY seq LIMIT $1
            FOR UPDATE SKIP LOCKED)
         SELECT b.seq, b.topic, b.key, b.event, b.event_id AS id, b.type, b.correlation_id AS correlationid,
                EXISTS (SELECT 1 FROM outbox o
                         WHERE o.key = b.key AND o.sent_at IS NULL AND o.seq < b.seq
                           AND o.seq NOT IN (SELECT seq FROM batch)) AS blocked
           FROM batch b ORDER BY b.seq`,
        [this.batchSize],
      );
      if (!rows.length) return { sent: 0, held: 0 };
      const blockedKeys = new Set(rows.filter((r) => r.blocked).map((r) => r.key));
      const ready = rows.filter((r) => !blockedKeys.has(r.key));
      await this.producer.send(
        ready.map((r) => ({
          topic: this.topicPrefix + r.topic,
          key: r.key,
          value: r.event,
          headers: eventHeaders({ id: r.id, type: r.type, correlationid: r.correlationid }),
        })),
      );
      if (ready.length) {
        await m.query(`UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])`, [ready.map((r) => r.seq)]);
      }
      return { sent: ready.length, held: rows.length - ready.length };
    });
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delayMs);
  }

  private wake(): void {
    if (!this.running) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn({ err }, 'outbox relay: publishing failed, will retry'))
      .finally(() => {
        this.draining = undefined;
        const again = this.wakeAgain;
        this.wakeAgain = false;
        this.schedule(again ? 0 : this.pollIntervalMs);
      });
  }

  private async listen(): Promise<void> {
    try {
      const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
      const client = await pool.connect();
      client.on('notification', () => this.wake());
      client.on('error', (err) => {
        this.logger.warn({ err }, 'outbox relay: LISTEN connection lost; polling until it is back');
        this.listener = undefined;
        client.release(true);
        setTimeout(() => void (this.running && this.listen()), 1000);
      });
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      this.logger.warn({ err }, 'outbox relay: cannot LISTEN; polling only for now');
      setTimeout(() => void (this.running && this.listen()), 1000);
    }
  }
}
