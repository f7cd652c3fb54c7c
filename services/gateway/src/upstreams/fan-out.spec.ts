import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { DomainError } from '@imb/platform';
import { askAll, queryString } from './fan-out';
import { upstreamFailure } from './upstream-error';

const down = (service: 'hr' | 'procurement') =>
  upstreamFailure(
    service,
    `http://127.0.0.1:1`,
    Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    1000,
  );

describe('askAll', () => {
  it('keeps the answers and lists the services that are down', async () => {
    const out = await askAll(['transfer', 'hr'], async (s) => {
      if (s === 'hr') throw down('hr');
      return 1;
    });
    expect(out.answers).toEqual([{ service: 'transfer', value: 1 }]);
    expect(out.unavailable).toEqual([
      { service: 'hr', message: expect.stringMatching(/^The hr service is unavailable \(ECONNREFUSED/) },
    ]);
  });

  it('fails on an error of the request itself, unless told to tolerate it', async () => {
    const ask = async (s: string) => {
      if (s === 'hr') throw new ForbiddenException('not your state');
      return s;
    };
    await expect(askAll(['transfer', 'hr'], ask)).rejects.toBeInstanceOf(ForbiddenException);
    const out = await askAll(['transfer', 'hr'], ask, (err) => err instanceof ForbiddenException);
    expect(out.unavailable).toEqual([{ service: 'hr', message: 'not your state' }]);
    await expect(
      askAll(['transfer'], () => Promise.reject(new BadRequestException('bad filter'))),
    ).rejects.toThrow('bad filter');
  });

  it('answers 503 when no service could answer', async () => {
    const err = await askAll(['hr', 'procurement'], (s) => Promise.reject(down(s as 'hr'))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).httpStatus).toBe(503);
  });
});

describe('upstreamFailure', () => {
  it('tells down, silent and broken services apart', () => {
    expect(
      upstreamFailure('hr', 'u', Object.assign(new Error('x'), { name: 'TimeoutError' }), 500),
    ).toMatchObject({ httpStatus: 504, code: 'UPSTREAM_TIMEOUT' });
    expect(
      upstreamFailure(
        'hr',
        'u',
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
        500,
      ),
    ).toMatchObject({ httpStatus: 503 });
    expect(
      upstreamFailure('hr', 'u', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 500),
    ).toMatchObject({ httpStatus: 502 });
  });
});

describe('queryString', () => {
  it('keeps only the given values', () => {
    expect(queryString({ kind: 'units.import', status: undefined, page: 2, entity: '' })).toBe(
      '?kind=units.import&page=2',
    );
    expect(queryString({})).toBe('');
  });
});
