import { ForbiddenException } from '@nestjs/common';
import { NATIONAL_ROLES, Role } from './roles';

/** The authenticated caller, as read from a verified access token. */
export interface Principal {
  /** Token subject: the person (or client) acting. */
  sub: string;
  /** Platform roles held; never empty. */
  roles: Role[];
  /** INEGI codes of the states the caller may act on (national roles see every state). */
  states: string[];
}

/**
 * Whether the work reads or changes data. Auditors see every state but only to read, so a
 * caller who is auditor *and* e.g. hr-officer writes only within the hr-officer's states.
 */
export type AccessKind = 'read' | 'write';

/** The roles that count for an access of the given kind (auditor does not count for writes). */
export function effectiveRoles(principal: Principal, access: AccessKind): Role[] {
  return access === 'write' ? principal.roles.filter((role) => role !== Role.Auditor) : principal.roles;
}

/** True when `roles` (already reduced to the effective ones) may act on `stateCode`. */
export function rolesReachState(
  roles: readonly Role[],
  states: readonly string[],
  stateCode: string,
): boolean {
  return (
    roles.some((role) => NATIONAL_ROLES.includes(role)) || (roles.length > 0 && states.includes(stateCode))
  );
}

/** True when the principal may act on the state `stateCode` for an access of the given kind. */
export function canAccessState(
  principal: Principal,
  stateCode: string,
  access: AccessKind = 'read',
): boolean {
  return rolesReachState(effectiveRoles(principal, access), principal.states, stateCode);
}

/**
 * Throws 403 unless the principal may act on `stateCode`. For services that learn an
 * entity's state only after loading it; pass `'write'` when the call changes data.
 */
export function assertStateAccess(
  principal: Principal,
  stateCode: string,
  access: AccessKind = 'read',
): void {
  if (!canAccessState(principal, stateCode, access)) {
    throw new ForbiddenException(stateDeniedMessage(principal, stateCode, access));
  }
}

/** The 403 message for a caller who cannot act on a state. */
export function stateDeniedMessage(principal: Principal, stateCode: string, access: AccessKind): string {
  if (effectiveRoles(principal, access).length === 0) {
    return `Auditors are read-only: they cannot change data of state ${stateCode}.`;
  }
  const own = principal.states.length > 0 ? principal.states.join(', ') : 'none';
  const verb = access === 'write' ? 'change data of' : 'access';
  return `You may not ${verb} state ${stateCode}: your token grants the states [${own}] and no national role.`;
}
