import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AUTH_CONFIG } from './auth.constants';
import type { AuthConfig } from './auth-config';
import { DevIssuerDisabledError, InvalidClaimsError } from './auth.errors';
import { parsePrincipal } from './claims';

/** Lifetime of a dev token when the request does not say. */
export const DEFAULT_DEV_TOKEN_TTL_SECONDS = 3600;
/** Longest lifetime a dev token may ask for (a week: long seed runs and demos, nothing more). */
export const MAX_DEV_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** What a dev token says about its holder. */
export interface DevTokenRequest {
  sub: string;
  roles: readonly string[];
  states: readonly string[];
  /** Lifetime in seconds, 1..MAX_DEV_TOKEN_TTL_SECONDS; DEFAULT_DEV_TOKEN_TTL_SECONDS when absent. */
  ttlSeconds?: number;
}

/** Signs HS256 access tokens for developers, tests and seed scripts; works only when AUTH_DEV_ISSUER=true. */
@Injectable()
export class DevTokenIssuer {
  private readonly secret: Uint8Array | undefined;

  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {
    this.secret = config.mode === 'dev' ? new TextEncoder().encode(config.secret) : undefined;
  }

  /** True when this process may issue dev tokens. */
  get enabled(): boolean {
    return this.secret !== undefined;
  }

  /**
   * Returns a signed access token for the request; throws DevIssuerDisabledError outside dev
   * mode and InvalidClaimsError for unknown roles, bad state codes or a bad ttl.
   */
  async sign(request: DevTokenRequest): Promise<string> {
    if (this.config.mode !== 'dev' || this.secret === undefined) {
      throw new DevIssuerDisabledError();
    }
    const ttlSeconds = request.ttlSeconds ?? DEFAULT_DEV_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DEV_TOKEN_TTL_SECONDS) {
      throw new InvalidClaimsError([
        `ttlSeconds must be a whole number from 1 to ${MAX_DEV_TOKEN_TTL_SECONDS}`,
      ]);
    }
    const principal = parsePrincipal({ sub: request.sub, roles: request.roles, states: request.states });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: principal.roles, states: principal.states })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.sub)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.secret);
  }
}
