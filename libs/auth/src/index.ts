export { Role, ALL_ROLES, NATIONAL_ROLES, isRole } from './roles';
export {
  type Principal,
  type AccessKind,
  canAccessState,
  assertStateAccess,
  effectiveRoles,
} from './principal';
export { parsePrincipal, MAX_SUBJECT_LENGTH } from './claims';
export {
  type AuthConfig,
  type DevAuthConfig,
  type JwksAuthConfig,
  loadAuthConfig,
  isDevIssuerEnabled,
  DEV_ISSUER,
  DEV_AUDIENCE,
  DEFAULT_DEV_SECRET,
} from './auth-config';
export {
  InvalidTokenError,
  type InvalidTokenCode,
  IdentityProviderUnavailableError,
  AuthConfigError,
  InvalidClaimsError,
  DevIssuerDisabledError,
} from './auth.errors';
export { AUTH_CONFIG, VERIFIED_TOKEN_CACHE } from './auth.constants';
export { TokenVerifier, DEV_ALGORITHMS, JWKS_ALGORITHMS } from './token-verifier';
export {
  VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
  VERIFIED_TOKEN_CACHE_SIZE,
  VERIFIED_TOKEN_MAX_AGE_MS,
  VERIFIED_TOKEN_MAX_LENGTH,
} from './verified-token-cache';
export {
  DevTokenIssuer,
  type DevTokenRequest,
  DEFAULT_DEV_TOKEN_TTL_SECONDS,
  MAX_DEV_TOKEN_TTL_SECONDS,
} from './dev-token-issuer';
export {
  decideAccess,
  accessKindOf,
  READ_METHODS,
  type RouteRequirements,
  type AccessDecision,
} from './access-policy';
export { Public, Roles, StateScope, CurrentUser } from './auth.decorators';
export { AuthGuard, type AuthRequest } from './auth.guard';
export { DevTokenController, DevTokenRequestDto, DevTokenResponseDto } from './dev-token.controller';
export { AuthModule, type AuthModuleOptions } from './auth.module';
export { DevApiClient, seedProfile } from './dev-api-client';
export {
  PERSONAL_DATA_POLICY,
  type PersonalDataResource,
  type PersonalDataRule,
  type PersonalDataView,
  type PersonalField,
  rolesWithPersonalDataAccess,
  personalDataView,
  canSeePersonalData,
  assertPersonalDataAccess,
  applyPersonalDataView,
  maskCurp,
  maskName,
  maskRfc,
  maskLicence,
} from './personal-data-policy';
