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

/** Creates topics that do not exist yet (3 partitions by default). */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
    }
  } finally {
    await admin.disconnect();
  }
}
