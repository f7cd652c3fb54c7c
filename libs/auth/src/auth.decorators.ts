import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY, ROLES_KEY, STATE_SCOPE_KEY } from './auth.constants';
import type { Principal } from './principal';
import { ALL_ROLES, isRole, type Role } from './roles';

/** The route needs no access token (health, metrics, docs, the dev-token route). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

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
  return SetMetadata(ROLES_KEY, roles);
}

/**
 * The request acts on one state, named by `field`, looked up in the route params, then the
 * query, then the JSON body; 403 when the caller may not act on it, 400 when it is missing
 * or not a two-digit INEGI code. Multipart bodies are parsed after guards run, so upload
 * routes must carry the state in the path or query.
 */
export const StateScope = (field = 'stateCode'): MethodDecorator & ClassDecorator =>
  SetMetadata(STATE_SCOPE_KEY, field);

/** Injects the authenticated Principal (undefined on `@Public()` routes). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ user?: Principal }>().user,
);
