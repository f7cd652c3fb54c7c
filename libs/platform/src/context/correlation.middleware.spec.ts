import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentContext } from '@imb/contracts';
import { correlationMiddleware, isValidCorrelationId, requestContext } from './correlation.middleware';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function run(header?: string | string[]) {
  const req = {
    headers: header === undefined ? {} : { 'x-correlation-id': header },
  } as unknown as IncomingMessage;
  const headers: Record<string, unknown> = {};
  const res = {
    setHeader: (name: string, value: unknown) => (headers[name] = value),
  } as unknown as ServerResponse;
  let seen: string | undefined;
  correlationMiddleware(req, res, () => {
    seen = currentContext()?.correlationId;
  });
  return { req, seen, echoed: headers['x-correlation-id'] };
}

describe('correlationMiddleware', () => {
  it('adopts a valid incoming id, echoes it and runs the request inside its context', () => {
    const { req, seen, echoed } = run('req-42.a:b_C-9');
    expect(seen).toBe('req-42.a:b_C-9');
    expect(echoed).toBe('req-42.a:b_C-9');
    expect(requestContext(req)).toEqual({ correlationId: 'req-42.a:b_C-9' });
  });

  it('makes a UUID when the request has none', () => {
    const { seen, echoed } = run();
    expect(seen).toMatch(UUID);
    expect(echoed).toBe(seen);
  });

  it.each([
    ['too long', 'a'.repeat(101)],
    ['characters outside [A-Za-z0-9._:-]', 'abc def'],
    ['log injection', 'abc\n{"level":"fatal"}'],
    ['empty', ''],
  ])('replaces an id that is %s with a UUID', (_why, value) => {
    const { seen, echoed } = run(value);
    expect(seen).toMatch(UUID);
    expect(echoed).toBe(seen);
  });

  it('takes the first of repeated headers', () => {
    expect(run(['first', 'second']).seen).toBe('first');
  });

  it('leaves no context behind once the request is done', () => {
    run('done');
    expect(currentContext()).toBeUndefined();
  });
});

describe('isValidCorrelationId', () => {
  it('accepts up to 100 characters', () => {
    expect(isValidCorrelationId('x'.repeat(100))).toBe(true);
    expect(isValidCorrelationId('x'.repeat(101))).toBe(false);
    expect(isValidCorrelationId(42)).toBe(false);
  });
});
