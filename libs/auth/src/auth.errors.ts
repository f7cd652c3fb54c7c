/** Why an access token was refused; each maps to a 401 with a message saying what to do. */
export type InvalidTokenCode =
  | 'TOKEN_MALFORMED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_SIGNATURE_INVALID'
  | 'TOKEN_ALGORITHM_REFUSED'
  | 'TOKEN_CLAIMS_INVALID'
  | 'TOKEN_KEY_UNKNOWN';

/** An access token that must not be trusted (bad signature, expired, wrong issuer, bad claims…). */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';

  constructor(
    readonly code: InvalidTokenCode,
    message: string,
  ) {
    super(message);
  }
}

/** The identity provider's key set could not be fetched, so no token can be checked right now. */
export class IdentityProviderUnavailableError extends Error {
  override readonly name = 'IdentityProviderUnavailableError';
  readonly code = 'IDP_UNAVAILABLE';
}

/** The auth environment variables are missing or wrong; lists every problem at once. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code = 'AUTH_CONFIG_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid auth configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Claims (of a token, or of a dev-token request) that do not describe a valid principal. */
export class InvalidClaimsError extends Error {
  override readonly name = 'InvalidClaimsError';
  readonly code = 'CLAIMS_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/** Dev tokens were requested while AUTH_DEV_ISSUER is not 'true'. */
export class DevIssuerDisabledError extends Error {
  override readonly name = 'DevIssuerDisabledError';
  readonly code = 'DEV_ISSUER_DISABLED';

  constructor() {
    super('Dev tokens are disabled: set AUTH_DEV_ISSUER=true (never in production) to issue them.');
  }
}
