import { Kafka } from 'kafkajs';
import { deadLetterTopic } from '@imb/contracts';
import { EventProducer } from './producer';
import { stringHeaders } from './consumer';

export interface ReplayResult {
  replayed: number;
  byTopic: Record<string, number>;
}

/**
 * Re-publishes every dead letter of `groupId` to the topic it came from (with its original key,
 * value and headers, minus the `dlq-` ones) and commits the DLQ offsets, so each dead letter is
 * replayed once. Other consumer groups on that topic already hold the event in their inbox and
 * ignore it. Stops when the DLQ is caught up.
 */
export async function replayDeadLetters(kafka: Kafka, groupId: string, opts: { timeoutMs?: number } = {}): Promise<ReplayResult> {
  const topic = deadLetterTopic(groupId);
  const admin = kafka.admin();
  await admin.connect();
  const result: ReplayResult = { replayed: 0, byTopic: {} };
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) return result;
    const ends = await admin.fetchTopicOffsets(topic);
    const replayGroup = `${groupId}.dlq-replay`;
    const committed = await admin.fetchOffsets({ groupId: replayGroup, topics: [topic] });
    const pending = new Map<number, bigint>();
    for (const end of ends) {
      const done = committed[0]?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const start = BigInt(done === '-1' ? end.low : done);
      if (BigInt(end.high) > start) pending.set(end.partition, BigInt(end.high));
    }
    if (pending.size === 0) return result;

    const producer = new EventProducer(kafka);
    const consumer = kafka.consumer({ groupId: replayGroup });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replay of ${topic} timed out`)), opts.timeoutMs ?? 60000);
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers = stringHeaders(message.headers);
            const original = headers['dlq-original-topic'];
            if (original) {
              const clean = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlq-')));
              clean['replayed-from'] = topic;
              await producer.send([
                { topic: original, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers: clean },
              ]);
              result.replayed++;
              result.byTopic[original] = (result.byTopic[original] ?? 0) + 1;
            }
            const high = pending.get(partition);
            if (high !== undefined && BigInt(message.offset) + 1n >= high) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    try {
      await finished;
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}
