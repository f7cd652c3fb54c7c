import { Kafka, Message, Partitioners, Producer, CompressionTypes } from 'kafkajs';
import { CloudEvent } from '@imb/contracts';

/** Headers every event message carries besides the CloudEvent itself. */
export function eventHeaders(event: Pick<CloudEvent, 'id' | 'type' | 'correlationid'>): Record<string, string> {
  return {
    'content-type': 'application/cloudevents+json',
    'ce-id': event.id,
    'ce-type': event.type,
    'correlation-id': event.correlationid,
  };
}

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Kafka producer for events: acks from all in-sync replicas, idempotent with one request in
 * flight so retries never reorder messages of a partition.
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
      // No retry limit: an idempotent producer keeps retrying (in order) until the broker is back.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    return this.connected;
  }

  /** Sends messages in order; resolves once every message is acknowledged by the broker. */
  async send(messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: m.value, headers: m.headers });
      byTopic.set(m.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic.entries()].map(([topic, msgs]) => ({ topic, messages: msgs })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) {
      this.connected = undefined;
      await this.producer.disconnect();
    }
  }
}
