import type { ThrottlerStorage } from '@nestjs/throttler';

/** What the throttler guard reads back from its storage after each hit. */
export interface ThrottleRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** Hits of one client on one route: their expiry times, oldest first, from `head` on. */
interface HitLog {
  expiries: number[];
  head: number;
  blockedUntil: number;
}

/** How often logs whose hits have all expired are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * The rate limiter's storage, with the semantics of @nestjs/throttler's own (a sliding window:
 * a hit counts for `ttl` ms; beyond `limit` hits in the window the client is blocked for
 * `blockDuration` ms, after which its count starts again) at a constant cost per request.
 *
 * The library's in-memory storage re-filters a client's whole list of hits on every request, so a
 * busy client costs O(limit) per request (50,000 entries under the overview benchmark). Hits
 * expire in the order they were made (the ttl is the same for all), so here expired ones are
 * only skipped from the front of the list.
 */
export class HitLogStorage implements ThrottlerStorage {
  private readonly logs = new Map<string, HitLog>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {}

  /** Clients currently tracked (for tests). */
  get size(): number {
    return this.logs.size;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottleRecord> {
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    return Promise.resolve(this.hit(`${throttlerName}:${key}`, ttl, limit, blockDuration));
  }

  /** Forgets clients with no live hit and no block, so memory follows the active clients. */
  sweep(): void {
    const now = this.now();
    for (const [key, log] of this.logs) {
      this.prune(log, now);
      if (log.head === log.expiries.length && log.blockedUntil <= now) this.logs.delete(key);
    }
  }

  /** Stops the sweep (application shutdown). */
  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private hit(key: string, ttl: number, limit: number, blockDuration: number): ThrottleRecord {
    const now = this.now();
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = { expiries: [], head: 0, blockedUntil: 0 }));
    if (log.blockedUntil > now) {
      return {
        totalHits: this.count(log) + 1,
        timeToExpire: this.timeToExpire(log, now, ttl),
        isBlocked: true,
        timeToBlockExpire: seconds(log.blockedUntil - now),
      };
    }
    if (log.blockedUntil !== 0) {
      // The block is over: the count starts again.
      log.expiries = [];
      log.head = 0;
      log.blockedUntil = 0;
    }
    this.prune(log, now);
    if (blockDuration <= 0) {
      // No block: a hit beyond the limit is refused and not counted.
      const refused = this.count(log) >= limit;
      if (!refused) log.expiries.push(now + ttl);
      return {
        totalHits: this.count(log) + (refused ? 1 : 0),
        timeToExpire: this.timeToExpire(log, now, ttl),
        isBlocked: refused,
        timeToBlockExpire: refused ? seconds(log.expiries[log.head] - now) : 0,
      };
    }
    log.expiries.push(now + ttl);
    const totalHits = this.count(log);
    if (totalHits > limit) log.blockedUntil = now + blockDuration;
    return {
      totalHits,
      timeToExpire: this.timeToExpire(log, now, ttl),
      isBlocked: totalHits > limit,
      timeToBlockExpire: totalHits > limit ? seconds(blockDuration) : 0,
    };
  }

  private count(log: HitLog): number {
    return log.expiries.length - log.head;
  }

  /** Seconds until the oldest hit counted leaves the window (the whole ttl when none is). */
  private timeToExpire(log: HitLog, now: number, ttl: number): number {
    return seconds(log.head < log.expiries.length ? log.expiries[log.head] - now : ttl);
  }

  /** Skips expired hits at the front; compacts the list once most of it is skipped. */
  private prune(log: HitLog, now: number): void {
    const { expiries } = log;
    while (log.head < expiries.length && expiries[log.head] <= now) log.head++;
    if (log.head > 1024 && log.head * 2 > expiries.length) {
      log.expiries = expiries.slice(log.head);
      log.head = 0;
    }
  }
}
