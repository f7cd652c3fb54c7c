import { RedisConnection } from 'bullmq';

/**
 * Removes one way BullMQ can crash the process. Closing a queue or worker while one of its Redis
 * connections is still being established (Redis away, or slow to answer) removes that
 * connection's listeners; the pending connect then fails and emits `error` to nobody, which
 * throws inside a promise: an unhandled rejection. Every error before close still reaches the
 * queue's or worker's listener; an error after close has nobody left to tell and is dropped.
 *
 * Patched on the prototype because a worker builds its blocking connection itself (the
 * `Connection` constructor argument does not reach it). Applied once, when libs/jobs loads.
 */
export function tolerateErrorsAfterClose(): void {
  const proto = RedisConnection.prototype as RedisConnection & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
  const emit = proto.emit;
  proto.emit = function (this: RedisConnection, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return emit.call(this, event, ...args);
  };
  proto[PATCHED] = true;
}

const PATCHED = Symbol.for('imb.jobs.tolerateErrorsAfterClose');
