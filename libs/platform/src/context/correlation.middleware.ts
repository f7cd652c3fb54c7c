import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExecutionContext, runInContext } from '@imb/contracts';

/** Header that carries the correlation id in and out of every HTTP request. */
export const CORRELATION_HEADER = 'x-correlation-id';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Whether a client-supplied correlation id is safe to adopt (≤ 100 chars of [A-Za-z0-9._:-]). */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value);
}

// Keyed by request so code that runs outside the async context (the request-completed log line,
// fired from the socket) still finds the request's context.
const contexts = new WeakMap<IncomingMessage, ExecutionContext>();

/** The execution context the correlation middleware opened for `req`, if any. */
export function requestContext(req: IncomingMessage): ExecutionContext | undefined {
  return contexts.get(req);
}

/**
 * Adopts the caller's `x-correlation-id` when valid (otherwise makes a UUID), echoes it on the
 * response and runs the rest of the request inside that execution context. The context object
 * is mutable on purpose: authentication fills in `actor` once the token is verified.
 */
export function correlationMiddleware(
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
): void {
  const header = req.headers[CORRELATION_HEADER];
  const incoming = Array.isArray(header) ? header[0] : header;
  const context: ExecutionContext = {
    correlationId: isValidCorrelationId(incoming) ? incoming : randomUUID(),
  };
  contexts.set(req, context);
  res.setHeader(CORRELATION_HEADER, context.correlationId);
  runInContext(context, () => next());
}
