import { Inject, Injectable, Optional } from '@nestjs/common';
// jose 6 ships only ES modules: this CommonJS build loads it through require(esm), which Node
// runs without a flag from 20.19 (22.12 on the 22 line); jest compiles it instead (see jest.config.js).
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyOptions,
} from 'jose';
import { AUTH_CONFIG, VERIFIED_TOKEN_CACHE } from './auth.constants';
import type { AuthConfig } from './auth-config';
import { IdentityProviderUnavailableError, InvalidClaimsError, InvalidTokenError } from './auth.errors';
import { parsePrincipal } from './claims';
import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

/** Algorithms accepted from the dev issuer: its shared-secret HMAC only. */
export const DEV_ALGORITHMS: readonly string[] = ['HS256'];
/**
 * Algorithms accepted from an external issuer: asymmetric ones only, so a public JWKS key can
 * never be abused as an HMAC secret; `none` is never accepted.
 */
export const JWKS_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

type VerifyJwt = (token: string, options: JWTVerifyOptions) => Promise<{ payload: JWTPayload }>;

/**
 * Verifies access tokens (signature, algorithm, expiry, issuer, audience, claims) into a Principal.
 * A token that passed is remembered until its expiry (at most a minute, see VerifiedTokenCache),
 * so a caller's repeated requests cost one signature check, not one each.
 */
@Injectable()
export class TokenVerifier {
  private readonly verifyJwt: VerifyJwt;
  private readonly options: JWTVerifyOptions;
  private readonly verified: VerifiedTokenCache;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Optional() @Inject(VERIFIED_TOKEN_CACHE) verified?: VerifiedTokenCache,
  ) {
    this.verified = verified ?? new VerifiedTokenCache();
    if (config.mode === 'dev') {
      const secret = new TextEncoder().encode(config.secret);
      this.verifyJwt = (token, options) => jwtVerify(token, secret, options);
    } else {
      // jose caches the key set, refetches on an unknown `kid` (with a cooldown) and times out after 5 s.
      const keySet = createRemoteJWKSet(new URL(config.jwksUrl));
      this.verifyJwt = (token, options) => jwtVerify(token, keySet, options);
    }
    this.options = {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: [...(config.mode === 'dev' ? DEV_ALGORITHMS : JWKS_ALGORITHMS)],
      clockTolerance: config.clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
    };
  }

  /**
   * Returns the token's Principal, or throws InvalidTokenError (the token must not be trusted)
   * or IdentityProviderUnavailableError (the issuer's keys could not be fetched).
   */
  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await this.verifyJwt(token, this.options));
    } catch (error) {
      throw this.translate(error, token);
    }
    let principal: Principal;
    try {
      principal = parsePrincipal(payload);
    } catch (error) {
      if (error instanceof InvalidClaimsError) {
        throw new InvalidTokenError(
          'TOKEN_CLAIMS_INVALID',
          `The access token's claims are invalid: ${error.message}.`,
        );
      }
      throw error;
    }
    // Only now that every check passed; `exp` is a required claim, checked above.
    this.verified.set(token, principal, payload.exp as number);
    return principal;
  }

  private translate(error: unknown, token: string): Error {
    // Match on jose's stable `code` strings rather than instanceof, which breaks if two copies of jose are loaded.
    const {
      code = '',
      claim,
      reason,
      message,
    } = (error ?? {}) as { code?: string; claim?: string; reason?: string; message?: string };
    switch (code) {
      case 'ERR_JWT_EXPIRED':
        return new InvalidTokenError('TOKEN_EXPIRED', 'The access token has expired; request a new one.');
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        return this.claimError(claim, reason);
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return new InvalidTokenError(
          'TOKEN_SIGNATURE_INVALID',
          'The access token signature does not match: it was altered or signed by another issuer.',
        );
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        return new InvalidTokenError(
          'TOKEN_ALGORITHM_REFUSED',
          `The access token's signing algorithm ${describeAlg(token)} is not accepted (accepted: ${this.options.algorithms?.join(', ')}).`,
        );
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return new InvalidTokenError(
          'TOKEN_MALFORMED',
          `The access token is not a well-formed signed JWT (${message ?? 'unreadable'}).`,
        );
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return new InvalidTokenError(
          'TOKEN_KEY_UNKNOWN',
          "No single key of the identity provider's key set matches the access token.",
        );
      default:
        if (this.config.mode === 'jwks') {
          return new IdentityProviderUnavailableError(
            `Cannot check access tokens: the identity provider's key set at ${this.config.jwksUrl} is unavailable (${message ?? String(error)})`,
            { cause: error },
          );
        }
        return error instanceof Error ? error : new Error(String(error));
    }
  }

  private claimError(claim: string | undefined, reason: string | undefined): InvalidTokenError {
    if (claim === 'nbf') {
      return new InvalidTokenError(
        'TOKEN_NOT_YET_VALID',
        'The access token is not valid yet (its nbf is in the future).',
      );
    }
    if (reason === 'missing') {
      return new InvalidTokenError(
        'TOKEN_CLAIMS_INVALID',
        `The access token's required "${claim}" claim is missing.`,
      );
    }
    const expected =
      claim === 'iss'
        ? ` (expected issuer '${this.config.issuer}')`
        : claim === 'aud'
          ? ` (expected audience '${this.config.audience}')`
          : '';
    return new InvalidTokenError(
      'TOKEN_CLAIMS_INVALID',
      `The access token's "${claim}" claim is not accepted${expected}.`,
    );
  }
}

function describeAlg(token: string): string {
  try {
    return `'${String(decodeProtectedHeader(token).alg)}'`;
  } catch {
    return '(unreadable header)';
  }
}
