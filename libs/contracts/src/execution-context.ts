import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who is acting and which chain of requests/events this work belongs to. */
export interface ExecutionContext {
  /** Carried from the HTTP request (x-correlation-id) through every event it causes. */
  correlationId: string;
  /** Id of the event being handled, when the work was caused by an event. */
  causationId?: string;
  /** Subject of the caller's token (a person), or `system:<service>` for automatic work. */
  actor?: string;
}

const storage = new AsyncLocalStorage<ExecutionContext>();

/** Runs `fn` with `ctx` as the current execution context (HTTP middleware, consumer runner, jobs). */
export function runInContext<T>(ctx: ExecutionContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The current execution context, if any. */
export function currentContext(): ExecutionContext | undefined {
  return storage.getStore();
}

/** The current correlation id, or a new one when work starts outside any request or event. */
export function currentCorrelationId(): string {
  return storage.getStore()?.correlationId ?? randomUUID();
}
