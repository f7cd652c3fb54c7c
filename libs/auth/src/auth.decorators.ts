import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { IS_PUBLIC_KEY, ROLES_KEY, STATE_SCOPE_KEY, STATE_SCOPE_OPTIONAL_KEY } from './auth.constants';
import type { Principal } from './principal';
import { ALL_ROLES, isRole, type Role } from './roles';

/**
 * Route metadata that the guard enforces and the OpenAPI document shows as an `x-…` extension of
 * each operation (`x-public`, `x-roles`, `x-state-scope`), so tests and clients can read the access
 * rules of every route (method-level values override class-level ones, as in the guard).
 */
function accessMetadata(key: string, extension: string, value: unknown): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(key, value), ApiExtension(extension, value));
}

/** The route needs no access token (health, metrics, docs, the dev-token route). */
export const Public = (): MethodDecorator & ClassDecorator => accessMetadata(IS_PUBLIC_KEY, 'x-public', true);

/**
 * The caller needs at least one of these roles (403 otherwise). Naming 'auditor' also lets
 * auditors use the route for writes, which they otherwise may not.
 */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    // A typo here would silently lock a route; fail when the decorator is evaluated instead.
    throw new Error(`@Roles got unknown role(s) ${unknown.join(', ')}; known roles: ${ALL_ROLES.join(', ')}`);
  }
  return accessMetadata(ROLES_KEY, 'x-roles', roles);
}

/**
 * The request acts on one state, named by `field`, looked up in the route params, then the
 * query, then the JSON body; 403 when the caller may not act on it, 400 when it is missing
 * or not a two-digit INEGI code. Multipart bodies are parsed after guards run, so upload
 * routes must carry the state in the path or query. With `{ optional: true }` (a read filter
 * such as `?stateCode=`) a missing state is the handler's business, a given one is checked.
 */
export const StateScope = (
  field = 'stateCode',
  options: { optional?: boolean } = {},
): MethodDecorator & ClassDecorator =>
  options.optional
    ? applyDecorators(
        accessMetadata(STATE_SCOPE_KEY, 'x-state-scope', field),
        accessMetadata(STATE_SCOPE_OPTIONAL_KEY, 'x-state-scope-optional', true),
      )
    : accessMetadata(STATE_SCOPE_KEY, 'x-state-scope', field);

/** Injects the authenticated Principal (undefined on `@Public()` routes). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ user?: Principal }>().user,
);
