import { type ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentContext, runInContext } from '@imb/contracts';
import { Public, Roles, StateScope } from './auth.decorators';
import { IdentityProviderUnavailableError, InvalidTokenError } from './auth.errors';
import { AuthGuard, type AuthRequest } from './auth.guard';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

class SampleController {
  @Public()
  health(): void {}

  @Roles('state-coordinator', 'federal-coordinator')
  @StateScope('stateCode')
  transfer(): void {}

  anything(): void {}

  @StateScope()
  scoped(): void {}

  @StateScope('stateCode', { optional: true })
  filtered(): void {}
}

@Public()
class PublicController {
  docs(): void {}
}

/** Principals by token: the fake verifier accepts exactly these strings. */
const tokens: Record<string, Principal> = {
  federal: { sub: 'fed', roles: ['federal-coordinator'], states: [] },
  coordinator13: { sub: 'sc13', roles: ['state-coordinator'], states: ['13'] },
  hr13: { sub: 'hr13', roles: ['hr-officer'], states: ['13'] },
  auditor: { sub: 'aud', roles: ['auditor'], states: [] },
};

const verifier = {
  verify: jest.fn((token: string): Promise<Principal> => {
    if (token === 'down') {
      return Promise.reject(
        new IdentityProviderUnavailableError(
          'Cannot check access tokens: the identity provider is unavailable',
        ),
      );
    }
    const principal = tokens[token];
    return principal
      ? Promise.resolve(principal)
      : Promise.reject(
          new InvalidTokenError('TOKEN_SIGNATURE_INVALID', 'The access token signature does not match.'),
        );
  }),
};

interface Call {
  handler: keyof SampleController | 'docs';
  token?: string;
  authorization?: string;
  method?: string;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  type?: string;
}

function contextFor(call: Call): {
  context: ExecutionContext;
  request: AuthRequest;
  headers: Record<string, string>;
} {
  const controller = call.handler === 'docs' ? PublicController : SampleController;
  const headers: Record<string, string> = {};
  const authorization = call.authorization ?? (call.token === undefined ? undefined : `Bearer ${call.token}`);
  const request: AuthRequest = {
    method: call.method ?? 'GET',
    headers: authorization === undefined ? {} : { authorization },
    params: call.params ?? {},
    query: call.query ?? {},
    body: call.body,
  };
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
  const context = {
    getType: () => call.type ?? 'http',
    getHandler: () => (controller.prototype as unknown as Record<string, () => void>)[call.handler],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

async function statusOf(guard: AuthGuard, call: Call): Promise<number | 'allowed'> {
  const { context } = contextFor(call);
  try {
    expect(await guard.canActivate(context)).toBe(true);
    return 'allowed';
  } catch (error) {
    if (error instanceof HttpException) {
      return error.getStatus();
    }
    throw error;
  }
}

async function errorOf(
  guard: AuthGuard,
  call: Call,
): Promise<{ status: number; message: string; headers: Record<string, string> }> {
  const { context, headers } = contextFor(call);
  const error: unknown = await guard.canActivate(context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpException);
  const http = error as HttpException;
  return { status: http.getStatus(), message: http.message, headers };
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(new Reflector(), verifier as unknown as TokenVerifier);

  beforeEach(() => verifier.verify.mockClear());

  it('lets @Public() routes and controllers through without a token', async () => {
    expect(await statusOf(guard, { handler: 'health' })).toBe('allowed');
    expect(await statusOf(guard, { handler: 'docs' })).toBe('allowed');
    expect(verifier.verify).not.toHaveBeenCalled();
  });

  it('ignores non-HTTP contexts', async () => {
    expect(await statusOf(guard, { handler: 'anything', type: 'rpc' })).toBe('allowed');
  });

  it('answers 401 with a hint when the token is missing', async () => {
    const { status, message, headers } = await errorOf(guard, { handler: 'anything' });
    expect(status).toBe(401);
    expect(message).toMatch(/Authorization: Bearer <access token>/);
    expect(headers['WWW-Authenticate']).toBe('Bearer');
  });

  it.each([['Basic YW5hOnNlY3JldA=='], ['Bearer'], ['Bearer a b'], ['token-without-scheme']])(
    'answers 401 to the Authorization header %p',
    async (authorization) => {
      const { status, message } = await errorOf(guard, { handler: 'anything', authorization });
      expect(status).toBe(401);
      expect(message).toMatch(/must use the Bearer scheme/);
    },
  );

  it("answers 401 with the verifier's reason for a bad token", async () => {
    const { status, message, headers } = await errorOf(guard, { handler: 'anything', token: 'forged' });
    expect(status).toBe(401);
    expect(message).toBe('The access token signature does not match.');
    expect(headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('answers 503 when the identity provider cannot be reached', async () => {
    expect(await statusOf(guard, { handler: 'anything', token: 'down' })).toBe(503);
  });

  it('accepts a lower-case scheme', async () => {
    expect(await statusOf(guard, { handler: 'anything', authorization: 'bearer hr13' })).toBe('allowed');
  });

  it('sets request.user and the actor of the current execution context', async () => {
    const { context, request } = contextFor({ handler: 'anything', token: 'hr13' });
    const actor = await runInContext({ correlationId: 'c-1' }, async () => {
      await guard.canActivate(context);
      return currentContext()?.actor;
    });
    expect(request.user).toEqual(tokens.hr13);
    expect(actor).toBe('hr13');
  });

  it.each<[string, string, string, number | 'allowed']>([
    ['federal', 'GET', '20', 'allowed'],
    ['coordinator13', 'GET', '13', 'allowed'],
    ['coordinator13', 'GET', '14', 403],
    ['hr13', 'GET', '13', 403],
    ['auditor', 'GET', '13', 403],
    ['coordinator13', 'POST', '13', 'allowed'],
    ['auditor', 'POST', '13', 403],
  ])(
    'on a coordinators-only state route: %s %s state %s → %p',
    async (token, method, stateCode, expected) => {
      expect(await statusOf(guard, { handler: 'transfer', token, method, params: { stateCode } })).toBe(
        expected,
      );
    },
  );

  it('refuses auditors any write, saying they are read-only', async () => {
    const { status, message } = await errorOf(guard, {
      handler: 'anything',
      token: 'auditor',
      method: 'POST',
    });
    expect(status).toBe(403);
    expect(message).toMatch(/Auditors are read-only/);
  });

  it('reads the state from the route params first, then the query, then the body', async () => {
    const call = { handler: 'scoped', token: 'hr13' } as const;
    expect(await statusOf(guard, { ...call, params: { stateCode: '13' }, query: { stateCode: '14' } })).toBe(
      'allowed',
    );
    expect(await statusOf(guard, { ...call, params: { stateCode: '14' }, query: { stateCode: '13' } })).toBe(
      403,
    );
    expect(await statusOf(guard, { ...call, query: { stateCode: '13' }, body: { stateCode: '14' } })).toBe(
      'allowed',
    );
    expect(await statusOf(guard, { ...call, method: 'POST', body: { stateCode: '13' } })).toBe('allowed');
    expect(await statusOf(guard, { ...call, method: 'POST', body: { stateCode: '14' } })).toBe(403);
  });

  it.each<[string, Partial<Call>, RegExp]>([
    ['missing', {}, /stateCode is required/],
    [
      'malformed',
      { params: { stateCode: '133' } },
      /must be one two-digit INEGI state code .* \(got "133"\)/,
    ],
    ['repeated in the query', { query: { stateCode: ['13', '14'] } }, /must be one two-digit/],
    ['a number in the body', { method: 'POST', body: { stateCode: 13 } }, /must be one two-digit/],
  ])('answers 400 when the state code is %s', async (_label, call, message) => {
    const error = await errorOf(guard, { handler: 'scoped', token: 'federal', ...call });
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('checks an optional state scope only when the state is given', async () => {
    const call = { handler: 'filtered', token: 'hr13' } as const;
    expect(await statusOf(guard, call)).toBe('allowed');
    expect(await statusOf(guard, { ...call, query: { stateCode: '13' } })).toBe('allowed');
    expect(await statusOf(guard, { ...call, query: { stateCode: '14' } })).toBe(403);
    expect(await statusOf(guard, { ...call, query: { stateCode: '1' } })).toBe(400);
  });

  it('checks roles before it reads the state code', async () => {
    expect(await statusOf(guard, { handler: 'transfer', token: 'hr13', params: { stateCode: 'xx' } })).toBe(
      403,
    );
  });
});

describe('decorators', () => {
  it('@Roles refuses an unknown role when the route is declared', () => {
    expect(() => Roles('state-coordinator', 'admin' as never)).toThrow(/unknown role\(s\) admin/);
  });
});
