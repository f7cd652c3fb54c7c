import { Kafka, LogEntry, logLevel } from 'kafkajs';

const LEVELS: Record<string, logLevel> = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG };

/** kafkajs log lines as one JSON line each on stderr, at KAFKAJS_LOG_LEVEL (default warn). */
const logCreator = () => ({ namespace, level, log }: LogEntry) => {
  const { message, timestamp: _t, logger: _l, ...rest } = log;
  process.stderr.write(`${JSON.stringify({ level: logLevel[level], logger: `kafkajs.${namespace}`, msg: message, ...rest })}\n`);
};

/** A kafkajs client for the brokers in KAFKA_BROKERS (default 127.0.0.1:9092). */
export function createKafka(opts: { clientId: string; brokers?: string[] }): Kafka {
  const brokers = opts.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  return new Kafka({
    clientId: opts.clientId,
    brokers,
    logLevel: LEVELS[(process.env.KAFKAJS_LOG_LEVEL ?? 'warn').toLowerCase()] ?? logLevel.WARN,
    logCreator,
    connectionTimeout: 3000,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000 },
  });
}

/**
 * Creates topics that do not exist yet (3 partitions by default) and waits until every partition
 * of every given topic has a leader: on a freshly started broker, metadata can lag behind creation,
 * and subscribing before it settles fails with "This server does not host this topic-partition".
 */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3, timeoutMs = 60000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length) {
          await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
        }
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        const ready = meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        if (ready) return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms: ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 2000)));
    }
  } finally {
    await admin.disconnect();
  }
}
