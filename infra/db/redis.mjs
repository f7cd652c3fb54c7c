#!/usr/bin/env node
// Small Redis helpers for the infra scripts: is Redis answering, and wiping the platform's keys.
//
//   node infra/db/redis.mjs ping            PONG check of $REDIS_URL (default redis://127.0.0.1:6379)
//   node infra/db/redis.mjs flush [match]   SCAN + DEL of every key matching `match` (default imb:*)
//
// Only the platform's own keys are deleted (BullMQ queues use the prefix `imb`), never FLUSHALL:
// the Redis on a developer's machine may hold other people's data.
import Redis from 'ioredis';
import { pathToFileURL } from 'node:url';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const PLATFORM_KEYS = 'imb:*';

/** Host:port of a Redis URL without its credentials, for messages. */
export function describeRedis(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return url;
  }
}

/** A client that fails fast instead of retrying forever (these are one-shot CLI checks). */
function connectOnce(url, timeoutMs) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Errors surface through the rejected promises below (which only say "Connection is closed",
  // so keep the socket's own error for the message); without a listener ioredis would also
  // print "Unhandled error event".
  client.on('error', (err) => {
    client.lastError = err;
  });
  return client;
}

const reason = (client, err) => (client.lastError ?? err).message;

/** Resolves with the server's answer to PING; rejects with an actionable message. */
export async function pingRedis(url = DEFAULT_REDIS_URL, timeoutMs = 3000) {
  const client = connectOnce(url, timeoutMs);
  try {
    await client.connect();
    return await client.ping();
  } catch (err) {
    throw new Error(`Redis at ${describeRedis(url)} does not answer PING (${reason(client, err)})`);
  } finally {
    client.disconnect();
  }
}

/** Deletes every key matching `match` with SCAN + DEL in batches; returns how many. */
export async function flushKeys(url = DEFAULT_REDIS_URL, match = PLATFORM_KEYS, timeoutMs = 3000) {
  const client = connectOnce(url, timeoutMs);
  try {
    await client.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } catch (err) {
    throw new Error(`could not delete ${match} from Redis at ${describeRedis(url)} (${reason(client, err)})`);
  } finally {
    client.disconnect();
  }
}

async function main(argv) {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const [command, match = PLATFORM_KEYS] = argv;
  switch (command) {
    case 'ping':
      console.log(`redis: ${describeRedis(url)} ${await pingRedis(url)}`);
      return;
    case 'flush': {
      const n = await flushKeys(url, match);
      console.log(`redis: deleted ${n} key(s) matching ${match} on ${describeRedis(url)}`);
      return;
    }
    default:
      console.error('usage: node infra/db/redis.mjs ping | flush [match]');
      process.exitCode = 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`redis: error: ${err.message}`);
    process.exitCode = 1;
  });
}
