import { composeScenarios, unreachableAddresses } from '@imb/testing';
import { validateServiceConfig } from './config';

describe('transfer in docker-compose.yml', () => {
  const env = composeScenarios('transfer');

  it('refuses to start as the file stands, naming the identity provider settings it needs', () => {
    expect(() => validateServiceConfig(env.asIs)).toThrow(/AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE must be set/);
  });

  it('starts with an identity provider set, connecting only to services of the file on their ports', () => {
    expect(unreachableAddresses(validateServiceConfig(env.withIdentityProvider).settings)).toEqual([]);
  });

  it('issues dev tokens only when opted into outside production', () => {
    expect(validateServiceConfig(env.devTokens).auth.mode).toBe('dev');
    expect(() => validateServiceConfig(env.devTokensInProduction)).toThrow(/AUTH_DEV_ISSUER=true is refused when NODE_ENV=production/);
  });
});
