import { AuthConfigError } from './auth.errors';
import { DEFAULT_DEV_SECRET, isDevIssuerEnabled, loadAuthConfig } from './auth-config';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadAuthConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as AuthConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadAuthConfig', () => {
  it('uses the dev issuer with its defaults when AUTH_DEV_ISSUER=true', () => {
    expect(loadAuthConfig({ AUTH_DEV_ISSUER: 'true' })).toEqual({
      mode: 'dev',
      secret: DEFAULT_DEV_SECRET,
      issuer: 'imb-dev',
      audience: 'imb-platform',
      clockToleranceSeconds: 5,
    });
  });

  it('takes AUTH_DEV_SECRET and AUTH_CLOCK_TOLERANCE_SECONDS', () => {
    const secret = 's'.repeat(40);
    expect(
      loadAuthConfig({ AUTH_DEV_ISSUER: 'true', AUTH_DEV_SECRET: secret, AUTH_CLOCK_TOLERANCE_SECONDS: '0' }),
    ).toMatchObject({
      secret,
      clockToleranceSeconds: 0,
    });
  });

  it('refuses the dev issuer when NODE_ENV=production, whatever the secret', () => {
    expect(problemsOf({ NODE_ENV: 'production', AUTH_DEV_ISSUER: 'true' })).toEqual([expect.stringMatching(/AUTH_DEV_ISSUER=true is refused when NODE_ENV=production/)]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_DEV_ISSUER: 'true', AUTH_DEV_SECRET: 'x'.repeat(64) })).toHaveLength(1);
    expect(loadAuthConfig({ NODE_ENV: 'development', AUTH_DEV_ISSUER: 'true' }).mode).toBe('dev');
  });

  it('refuses the published or a short dev secret when NODE_ENV=production', () => {
    const jwks = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'imb' };
    expect(problemsOf({ ...jwks, AUTH_DEV_SECRET: DEFAULT_DEV_SECRET })).toEqual([expect.stringMatching(/published default or shorter/)]);
    expect(problemsOf({ ...jwks, AUTH_DEV_SECRET: 'short' })).toEqual([expect.stringMatching(/published default or shorter/)]);
    expect(loadAuthConfig(jwks).mode).toBe('jwks');
  });

  it('refuses a dev secret shorter than 256 bits', () => {
    expect(problemsOf({ AUTH_DEV_ISSUER: 'true', AUTH_DEV_SECRET: 'short' })).toEqual([
      expect.stringMatching(/AUTH_DEV_SECRET must be at least 32 characters/),
    ]);
  });

  it('requires the JWKS settings when the dev issuer is off, naming each missing variable', () => {
    const [problem] = problemsOf({ AUTH_ISSUER: 'https://idp.example' });
    expect(problem).toMatch(/AUTH_JWKS_URL, AUTH_AUDIENCE must be set/);
    expect(problem).toMatch(/AUTH_DEV_ISSUER=true/);
  });

  it('reads the JWKS settings', () => {
    const env = {
      AUTH_DEV_ISSUER: 'false',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'imb-platform',
    };
    expect(loadAuthConfig(env)).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://idp.example/jwks',
      issuer: 'https://idp.example',
      audience: 'imb-platform',
      clockToleranceSeconds: 5,
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      AUTH_DEV_ISSUER: 'yes',
      AUTH_CLOCK_TOLERANCE_SECONDS: '-1',
      AUTH_JWKS_URL: 'ftp://idp.example/jwks',
      AUTH_ISSUER: 'x',
      AUTH_AUDIENCE: 'y',
    });
    expect(problems).toEqual([
      "AUTH_DEV_ISSUER must be 'true' or 'false' (got 'yes')",
      expect.stringMatching(/AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number/),
      expect.stringMatching(/AUTH_JWKS_URL must be an http\(s\) URL/),
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => loadAuthConfig({})).toThrow(
      /Invalid auth configuration:\n {2}- AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE must be set/,
    );
  });
});

describe('isDevIssuerEnabled', () => {
  it.each([
    ['true', true],
    ['false', false],
    [undefined, false],
    ['1', false],
  ])('AUTH_DEV_ISSUER=%p → %p', (value, expected) => {
    expect(isDevIssuerEnabled({ AUTH_DEV_ISSUER: value })).toBe(expected);
  });
});
