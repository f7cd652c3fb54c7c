import { decodeJwt, decodeProtectedHeader } from 'jose';
import { type AuthConfig, DEFAULT_DEV_SECRET, DEV_AUDIENCE, DEV_ISSUER } from './auth-config';
import { DevIssuerDisabledError, InvalidClaimsError } from './auth.errors';
import { DEFAULT_DEV_TOKEN_TTL_SECONDS, DevTokenIssuer, type DevTokenRequest } from './dev-token-issuer';

const devConfig: AuthConfig = {
  mode: 'dev',
  secret: DEFAULT_DEV_SECRET,
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
  clockToleranceSeconds: 5,
};

describe('DevTokenIssuer', () => {
  const issuer = new DevTokenIssuer(devConfig);

  it('signs HS256 tokens with the dev issuer, audience and the default lifetime', async () => {
    const token = await issuer.sign({ sub: 'ana', roles: ['hr-officer'], states: ['13', '14'] });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({
      sub: 'ana',
      roles: ['hr-officer'],
      states: ['13', '14'],
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
    });
    expect(payload.exp! - payload.iat!).toBe(DEFAULT_DEV_TOKEN_TTL_SECONDS);
    expect(typeof payload.jti).toBe('string');
  });

  it('honours ttlSeconds', async () => {
    const payload = decodeJwt(
      await issuer.sign({ sub: 'ana', roles: ['auditor'], states: [], ttlSeconds: 60 }),
    );
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it.each<[string, DevTokenRequest, RegExp]>([
    ['an unknown role', { sub: 'ana', roles: ['boss'], states: [] }, /unknown role/],
    ['a bad state code', { sub: 'ana', roles: ['hr-officer'], states: ['99'] }, /invalid code/],
    ['an empty subject', { sub: '', roles: ['hr-officer'], states: [] }, /sub must be/],
    ['a zero ttl', { sub: 'ana', roles: ['hr-officer'], states: [], ttlSeconds: 0 }, /ttlSeconds/],
    ['a fractional ttl', { sub: 'ana', roles: ['hr-officer'], states: [], ttlSeconds: 1.5 }, /ttlSeconds/],
  ])('refuses to sign %s', async (_label, request, message) => {
    const error: unknown = await issuer.sign(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidClaimsError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses to sign outside dev mode', async () => {
    const disabled = new DevTokenIssuer({
      mode: 'jwks',
      jwksUrl: 'https://idp.example/jwks.json',
      issuer: 'https://idp.example',
      audience: 'imb-platform',
      clockToleranceSeconds: 5,
    });
    expect(disabled.enabled).toBe(false);
    await expect(disabled.sign({ sub: 'ana', roles: ['auditor'], states: [] })).rejects.toThrow(
      DevIssuerDisabledError,
    );
  });
});
