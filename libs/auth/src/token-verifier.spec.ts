import { SignJWT } from 'jose';
import { type AuthConfig, DEFAULT_DEV_SECRET, DEV_AUDIENCE, DEV_ISSUER } from './auth-config';
import { InvalidTokenError, type InvalidTokenCode } from './auth.errors';
import { DevTokenIssuer } from './dev-token-issuer';
import { TokenVerifier } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

const devConfig: AuthConfig = {
  mode: 'dev',
  secret: DEFAULT_DEV_SECRET,
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
  clockToleranceSeconds: 5,
};
const now = (): number => Math.floor(Date.now() / 1000);
const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Forge {
  claims?: Record<string, unknown>;
  secret?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  exp?: number | null;
}

/** Signs claims like the dev issuer would, with any field overridable to forge a bad token. */
function forge({
  claims = {},
  secret = DEFAULT_DEV_SECRET,
  alg = 'HS256',
  iss = DEV_ISSUER,
  aud = DEV_AUDIENCE,
  exp,
}: Forge = {}): Promise<string> {
  let jwt = new SignJWT({ sub: 'ana', roles: ['state-coordinator'], states: ['13'], ...claims })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt();
  if (exp !== null) {
    jwt = jwt.setExpirationTime(exp ?? now() + 600);
  }
  return jwt.sign(new TextEncoder().encode(secret));
}

describe('TokenVerifier (dev issuer)', () => {
  const verifier = new TokenVerifier(devConfig);
  const issuer = new DevTokenIssuer(devConfig);

  async function refusal(token: string): Promise<InvalidTokenError> {
    const error: unknown = await verifier.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
    return error as InvalidTokenError;
  }

  async function expectRefused(token: string, code: InvalidTokenCode, message?: RegExp): Promise<void> {
    const error = await refusal(token);
    expect(error.code).toBe(code);
    if (message) {
      expect(error.message).toMatch(message);
    }
  }

  it('accepts a token of the dev issuer and returns its principal', async () => {
    const token = await issuer.sign({ sub: 'ana', roles: ['state-coordinator'], states: ['13'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'ana',
      roles: ['state-coordinator'],
      states: ['13'],
    });
  });

  it('accepts a national role without states and removes duplicates', async () => {
    const token = await forge({
      claims: { roles: ['federal-coordinator', 'federal-coordinator'], states: undefined },
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'ana',
      roles: ['federal-coordinator'],
      states: [],
    });
  });

  it('refuses an expired token', async () => {
    await expectRefused(await forge({ exp: now() - 60 }), 'TOKEN_EXPIRED', /expired/);
  });

  it('refuses a token without expiry', async () => {
    await expectRefused(await forge({ exp: null }), 'TOKEN_CLAIMS_INVALID', /"exp" claim is missing/);
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await new SignJWT({ sub: 'ana', roles: ['auditor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setNotBefore(now() + 600)
      .setExpirationTime(now() + 1200)
      .sign(new TextEncoder().encode(DEFAULT_DEV_SECRET));
    await expectRefused(token, 'TOKEN_NOT_YET_VALID');
  });

  it('refuses a token signed with another secret', async () => {
    await expectRefused(
      await forge({ secret: 'another-secret-of-at-least-thirty-two-chars' }),
      'TOKEN_SIGNATURE_INVALID',
    );
  });

  it('refuses an altered payload', async () => {
    const [header, , signature] = (await forge()).split('.');
    const payload = base64url({
      sub: 'ana',
      roles: ['federal-coordinator'],
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      exp: now() + 600,
    });
    await expectRefused(`${header}.${payload}.${signature}`, 'TOKEN_SIGNATURE_INVALID');
  });

  it('refuses an unsigned token (alg none), crafted by hand', async () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url({
      sub: 'mallory',
      roles: ['federal-coordinator'],
      states: [],
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      exp: now() + 600,
    });
    await expectRefused(`${header}.${payload}.`, 'TOKEN_ALGORITHM_REFUSED', /'none' is not accepted/);
  });

  it('refuses another HMAC algorithm even with the right secret', async () => {
    await expectRefused(await forge({ alg: 'HS512' }), 'TOKEN_ALGORITHM_REFUSED', /'HS512'/);
  });

  it('refuses a wrong issuer, naming the expected one', async () => {
    await expectRefused(
      await forge({ iss: 'someone-else' }),
      'TOKEN_CLAIMS_INVALID',
      /"iss".*expected issuer 'imb-dev'/,
    );
  });

  it('refuses a wrong audience', async () => {
    await expectRefused(
      await forge({ aud: 'another-app' }),
      'TOKEN_CLAIMS_INVALID',
      /"aud".*expected audience 'imb-platform'/,
    );
  });

  it('refuses an unknown role', async () => {
    await expectRefused(
      await forge({ claims: { roles: ['state-coordinator', 'root'] } }),
      'TOKEN_CLAIMS_INVALID',
      /unknown role\(s\) "root"/,
    );
  });

  it('refuses a token without roles', async () => {
    await expectRefused(
      await forge({ claims: { roles: [] } }),
      'TOKEN_CLAIMS_INVALID',
      /roles must be a non-empty array/,
    );
  });

  it.each([['1'], ['00'], ['33'], ['AB'], [13]])('refuses the state code %p', async (state) => {
    await expectRefused(
      await forge({ claims: { states: [state] } }),
      'TOKEN_CLAIMS_INVALID',
      /states has invalid code/,
    );
  });

  it('refuses states that are not an array', async () => {
    await expectRefused(
      await forge({ claims: { states: '13' } }),
      'TOKEN_CLAIMS_INVALID',
      /states must be an array/,
    );
  });

  it('refuses an empty subject', async () => {
    await expectRefused(await forge({ claims: { sub: '' } }), 'TOKEN_CLAIMS_INVALID');
  });

  it.each([[''], ['not-a-jwt'], ['a.b.c'], ['a.b']])('refuses the malformed token %p', async (token) => {
    await expectRefused(token, 'TOKEN_MALFORMED');
  });
});

describe('TokenVerifier remembering verified tokens', () => {
  afterEach(() => jest.useRealTimers());

  it('remembers a token that passed, answering the same principal (a copy) again', async () => {
    const cache = new VerifiedTokenCache();
    const verifier = new TokenVerifier(devConfig, cache);
    const token = await forge();
    const first = await verifier.verify(token);
    expect(cache.size).toBe(1);
    first.states.push('14');
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'ana',
      roles: ['state-coordinator'],
      states: ['13'],
    });
  });

  it('never remembers a refused token, and a remembered token altered by one character is refused', async () => {
    const cache = new VerifiedTokenCache();
    const verifier = new TokenVerifier(devConfig, cache);
    const refused = [
      await forge({ exp: now() - 60 }),
      await forge({ secret: 'another-secret-of-at-least-32-characters!!' }),
      await forge({ claims: { roles: ['emperor'] } }),
      await forge({ aud: 'elsewhere' }),
      'not-a-jwt',
    ];
    for (const token of refused) {
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    }
    expect(cache.size).toBe(0);

    const token = await forge();
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const altered = `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    await expect(verifier.verify(altered)).rejects.toMatchObject({
      code: 'TOKEN_SIGNATURE_INVALID',
    });
    expect(cache.size).toBe(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    // Only the clock is faked: jose and the cache both read Date.
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'queueMicrotask',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
    });
    const cache = new VerifiedTokenCache();
    const verifier = new TokenVerifier(devConfig, cache);
    const token = await forge({ exp: now() + 10 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'ana' });
    expect(cache.size).toBe(1);
    jest.setSystemTime(Date.now() + 20_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(cache.size).toBe(0);
  });
});
