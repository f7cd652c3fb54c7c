import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyDepthLimit, MAX_BODY_DEPTH, nestedDeeperThan } from './body-depth';

const nest = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('body depth limit', () => {
  it('measures nesting without recursion, even 100,000 levels deep', () => {
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 2)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan(nest(100_000), MAX_BODY_DEPTH)).toBe(true);
  });

  it('passes ordinary bodies and refuses deep ones with a 400 saying why', () => {
    const run = (body: unknown) => {
      let passed: unknown = 'not called';
      bodyDepthLimit({ body } as IncomingMessage & { body?: unknown }, {} as ServerResponse, (err?: unknown) => (passed = err));
      return passed;
    };
    expect(run(undefined)).toBeUndefined();
    expect(run({ lines: [{ clave: '010.000.0104.00', quantity: 2 }] })).toBeUndefined();
    const refused = run(nest(MAX_BODY_DEPTH + 1));
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as Error).message).toMatch(/nested too deeply: at most 32 levels/);
  });
});
