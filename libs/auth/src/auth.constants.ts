/** Nest injection token for the validated AuthConfig. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/** Route metadata: the route needs no token (`@Public()`). */
export const IS_PUBLIC_KEY = 'imb:auth:public';
/** Route metadata: roles of which the caller needs at least one (`@Roles(...)`). */
export const ROLES_KEY = 'imb:auth:roles';
/** Route metadata: name of the request field holding the state code (`@StateScope(...)`). */
export const STATE_SCOPE_KEY = 'imb:auth:state-scope';
/** Route metadata: the `@StateScope` field may be absent (`@StateScope(field, { optional: true })`). */
export const STATE_SCOPE_OPTIONAL_KEY = 'imb:auth:state-scope-optional';
/** Nest injection token of an optional VerifiedTokenCache for TokenVerifier (tests pass one with a fake clock). */
export const VERIFIED_TOKEN_CACHE = Symbol('VERIFIED_TOKEN_CACHE');
