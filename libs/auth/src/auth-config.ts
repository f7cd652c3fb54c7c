import { AuthConfigError } from './auth.errors';

/** Issuer of the tokens signed by the dev issuer. */
export const DEV_ISSUER = 'imb-dev';
/** Audience of every platform token in dev mode. */
export const DEV_AUDIENCE = 'imb-platform';
/** HS256 secret used when AUTH_DEV_SECRET is unset; public by design, so only for development. */
export const DEFAULT_DEV_SECRET = 'imb-dev-only-hs256-secret-do-not-use-in-production-0123456789';
/** RFC 7518 §3.2: an HS256 key must be at least 256 bits. */
export const MIN_DEV_SECRET_LENGTH = 32;
/** Allowance for clock skew between the issuer and this service, when AUTH_CLOCK_TOLERANCE_SECONDS is unset. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** Tokens signed locally with a shared secret (AUTH_DEV_ISSUER=true): developer machines and tests. */
export interface DevAuthConfig {
  mode: 'dev';
  secret: string;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
}

/** Tokens of an external OIDC issuer, checked against its published JWKS. */
export interface JwksAuthConfig {
  mode: 'jwks';
  jwksUrl: string;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
}

/** How access tokens are verified (and, in dev mode, issued). */
export type AuthConfig = DevAuthConfig | JwksAuthConfig;

/** True when AUTH_DEV_ISSUER is exactly 'true' (read alone, for deciding what to mount). */
export function isDevIssuerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AUTH_DEV_ISSUER?.trim() === 'true';
}

/**
 * Reads and validates the auth variables, throwing AuthConfigError that lists every problem:
 * AUTH_DEV_ISSUER ('true' | 'false', default 'false'; refused with NODE_ENV=production),
 * AUTH_DEV_SECRET (dev mode, ≥ 32 characters; with NODE_ENV=production, neither the default nor short), AUTH_JWKS_URL + AUTH_ISSUER + AUTH_AUDIENCE (required unless dev mode),
 * AUTH_CLOCK_TOLERANCE_SECONDS (0..300, default 5).
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const devFlag = read('AUTH_DEV_ISSUER') ?? 'false';
  if (devFlag !== 'true' && devFlag !== 'false') {
    problems.push(`AUTH_DEV_ISSUER must be 'true' or 'false' (got '${devFlag}')`);
  }

  const toleranceText = read('AUTH_CLOCK_TOLERANCE_SECONDS');
  const clockToleranceSeconds =
    toleranceText === undefined ? DEFAULT_CLOCK_TOLERANCE_SECONDS : Number(toleranceText);
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 300) {
    problems.push(
      `AUTH_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds from 0 to 300 (got '${toleranceText}')`,
    );
  }

  // The dev issuer signs any identity anyone asks for, with a secret that may be the published
  // default: a production process must never trust it, whatever else is configured.
  const production = read('NODE_ENV') === 'production';
  if (production && devFlag === 'true') {
    problems.push(
      'AUTH_DEV_ISSUER=true is refused when NODE_ENV=production: anyone reaching the service could mint a token for any role. ' +
        'Set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE of the identity provider, or run with NODE_ENV=development on a developer machine',
    );
  }
  const devSecret = read('AUTH_DEV_SECRET');
  if (production && devSecret !== undefined && (devSecret === DEFAULT_DEV_SECRET || devSecret.length < MIN_DEV_SECRET_LENGTH)) {
    problems.push(`AUTH_DEV_SECRET is the published default or shorter than ${MIN_DEV_SECRET_LENGTH} characters: refused when NODE_ENV=production`);
  }

  if (devFlag === 'true') {
    const secret = env.AUTH_DEV_SECRET || DEFAULT_DEV_SECRET;
    if (secret.length < MIN_DEV_SECRET_LENGTH) {
      problems.push(
        `AUTH_DEV_SECRET must be at least ${MIN_DEV_SECRET_LENGTH} characters (HS256 needs a 256-bit key)`,
      );
    }
    throwIfAny(problems);
    return { mode: 'dev', secret, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, clockToleranceSeconds };
  }

  const jwksUrl = read('AUTH_JWKS_URL');
  const issuer = read('AUTH_ISSUER');
  const audience = read('AUTH_AUDIENCE');
  const missing = [
    ['AUTH_JWKS_URL', jwksUrl],
    ['AUTH_ISSUER', issuer],
    ['AUTH_AUDIENCE', audience],
  ].filter(([, value]) => value === undefined);
  if (missing.length > 0) {
    problems.push(
      `${missing.map(([name]) => name).join(', ')} must be set to verify tokens of the external identity provider ` +
        '(or set AUTH_DEV_ISSUER=true on a developer machine)',
    );
  }
  if (jwksUrl !== undefined && !isHttpUrl(jwksUrl)) {
    problems.push(`AUTH_JWKS_URL must be an http(s) URL (got '${jwksUrl}')`);
  }
  throwIfAny(problems);
  return {
    mode: 'jwks',
    jwksUrl: jwksUrl as string,
    issuer: issuer as string,
    audience: audience as string,
    clockToleranceSeconds,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function throwIfAny(problems: string[]): void {
  if (problems.length > 0) {
    throw new AuthConfigError(problems);
  }
}
