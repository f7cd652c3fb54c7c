import {
  type AccessKind,
  effectiveRoles,
  type Principal,
  rolesReachState,
  stateDeniedMessage,
} from './principal';
import { Role } from './roles';

/** HTTP methods that only read; anything else counts as a write. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** What a route asks of its caller. */
export interface RouteRequirements {
  /** The request's HTTP method (decides read or write). */
  method: string;
  /** From `@Roles(...)`: the caller needs at least one; absent or empty means any role. */
  roles?: readonly Role[];
  /** From `@StateScope(...)`: the (already validated) state the request acts on. */
  stateCode?: string;
}

/** The outcome of an access check; a refusal carries the 403 message. */
export type AccessDecision = { allowed: true } | { allowed: false; message: string };

/** True when the method only reads (GET, HEAD). */
export function accessKindOf(method: string): AccessKind {
  return READ_METHODS.has(method.toUpperCase()) ? 'read' : 'write';
}

/**
 * Decides whether the principal may call a route (ARCHITECTURE rule 9): it needs one of the
 * route's roles; auditors only read unless the route names 'auditor' in `@Roles`; and for a
 * state-scoped route, the state must be one of the caller's, or the caller holds a national
 * role (federal-coordinator; auditor when reading).
 */
export function decideAccess(principal: Principal, route: RouteRequirements): AccessDecision {
  const access = accessKindOf(route.method);
  const required = route.roles ?? [];
  const auditorMayWrite = required.includes(Role.Auditor);
  const roles = auditorMayWrite ? principal.roles : effectiveRoles(principal, access);

  if (roles.length === 0) {
    return deny(
      `Auditors are read-only: ${route.method.toUpperCase()} requests are not allowed for the auditor role.`,
    );
  }
  if (required.length > 0 && !roles.some((role) => required.includes(role))) {
    return deny(
      `This action requires one of the roles [${required.join(', ')}]; your token has [${principal.roles.join(', ')}].`,
    );
  }
  if (route.stateCode !== undefined && !rolesReachState(roles, principal.states, route.stateCode)) {
    return deny(stateDeniedMessage(principal, route.stateCode, access));
  }
  return { allowed: true };
}

function deny(message: string): AccessDecision {
  return { allowed: false, message };
}
