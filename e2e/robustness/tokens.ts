import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { DEFAULT_DEV_SECRET, DEV_AUDIENCE, DEV_ISSUER } from '@imb/auth';
import { routeUrl } from './support/openapi';
import { inPool, isClearError, send } from './support/http';
import { Stack, token } from './support/stack';

/**
 * Tokens that must not be trusted — expired, wrongly signed, `alg: none`, wrong issuer or
 * audience, altered, or not a JWT at all — are refused with 401 on every non-public route of
 * every service, before any role or state rule is looked at.
 */
const secret = new TextEncoder().encode(DEFAULT_DEV_SECRET);
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = { roles: ['federal-coordinator'], states: [] as string[] };

function signed(
  overrides: {
    iss?: string;
    aud?: string;
    exp?: number;
    nbf?: number;
    key?: Uint8Array;
    roles?: unknown;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ roles: overrides.roles ?? claims.roles, states: claims.states })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('mallory')
    .setIssuer(overrides.iss ?? DEV_ISSUER)
    .setAudience(overrides.aud ?? DEV_AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(overrides.exp ?? now() + 600);
  if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
  return jwt.sign(overrides.key ?? secret);
}

async function badTokens(): Promise<Record<string, string>> {
  const valid = await token(['state-coordinator'], ['13'], 'sc13');
  const [header, , signature] = valid.split('.');
  const { privateKey } = await generateKeyPair('RS256');
  const rs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject('mallory')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setExpirationTime(now() + 600)
    .sign(privateKey);
  const unsignedClaims = { sub: 'mallory', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 600, ...claims };
  return {
    expired: await signed({ exp: now() - 3600 }),
    'not yet valid': await signed({ nbf: now() + 3600 }),
    'signed with another secret': await signed({
      key: new TextEncoder().encode('another-secret-of-at-least-32-characters!!'),
    }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(unsignedClaims)}.`,
    'alg none, no signature part': `${b64({ alg: 'none' })}.${b64(unsignedClaims)}`,
    'RS256 with an unknown key': rs256,
    'wrong issuer': await signed({ iss: 'https://evil.example' }),
    'wrong audience': await signed({ aud: 'another-app' }),
    'unknown role': await signed({ roles: ['admin'] }),
    // A state coordinator's token whose payload was rewritten to federal coordinator.
    'altered payload': `${header}.${b64({ ...JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString()), roles: ['federal-coordinator'] })}.${signature}`,
    garbage: 'garbage',
    'three dots': 'a.b.c',
    'random bytes': Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 256)).toString('base64'),
  };
}

/**
 * Tokens expired, wrongly signed, `alg: none`, of another issuer or audience, or garbage: 401 on
 * every non-public route of every service. Run inside the access matrix's suite, on its stack
 * (starting five services once is the slow part).
 */
export function describeTokenRefusals(current: () => Stack): void {
  describe('tokens: refused with 401 on every service', () => {
    it('refuses every untrustworthy token on every non-public route with a clear 401', async () => {
      const stack = current();
      const tokens = await badTokens();
      const routes = stack.routes.filter((r) => !r.isPublic);
      const cases = routes.flatMap((route) =>
        [
          ...Object.entries(tokens).map(([name, t]) => ({ name, authorization: `Bearer ${t}` })),
          { name: 'Basic scheme', authorization: 'Basic bWFsbG9yeTpzZWNyZXQ=' },
          { name: 'empty bearer', authorization: 'Bearer ' },
        ].map((t) => ({ route, ...t })),
      );
      const outcomes = await inPool(cases, 6, async ({ route, name, authorization }) => {
        const answer = await send(routeUrl(route, {}, {}), {
          method: route.method,
          headers: { authorization, ...(route.write ? { 'content-type': 'application/json' } : {}) },
          body: route.write ? '{}' : undefined,
        });
        return { route, name, answer };
      });
      const wrong = outcomes.filter((o) => o.answer.status !== 401 || !isClearError(o.answer));
      const byToken = Object.keys(tokens)
        .concat('Basic scheme', 'empty bearer')
        .map(
          (name) =>
            `${name.padEnd(28)} ${outcomes.filter((o) => o.name === name && o.answer.status === 401).length}/${routes.length} × 401`,
        );
      console.log(
        [
          `Untrustworthy tokens against ${routes.length} non-public routes of ${stack.services.map((s) => s.name).join(', ')}:`,
          ...byToken,
        ].join('\n'),
      );
      expect(
        wrong.map(
          (o) =>
            `${o.route.service} ${o.route.method} ${o.route.path} with ${o.name}: ${o.answer.status} ${o.answer.text.slice(0, 200)}`,
        ),
      ).toEqual([]);
    });

    it('says why a token is refused', async () => {
      const stack = current();
      const tokens = await badTokens();
      const route = stack.routes.find((r) => !r.isPublic && r.method === 'GET' && r.pathParams.length === 0)!;
      const reason = async (t: string) =>
        (
          (await send(routeUrl(route), { headers: { authorization: `Bearer ${t}` } })).body as {
            message: string;
          }
        ).message;
      expect(await reason(tokens.expired)).toMatch(/expired/);
      expect(await reason(tokens['alg none'])).toMatch(/algorithm 'none' is not accepted/);
      expect(await reason(tokens['signed with another secret'])).toMatch(/signature does not match/);
      expect(await reason(tokens['wrong issuer'])).toMatch(/"iss" claim/);
      expect(await reason(tokens['wrong audience'])).toMatch(/"aud" claim/);
    });
  });
}
