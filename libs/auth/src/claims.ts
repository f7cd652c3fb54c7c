import { isStateCode } from '@imb/contracts';
import { InvalidClaimsError } from './auth.errors';
import type { Principal } from './principal';
import { ALL_ROLES, isRole, type Role } from './roles';

/** Longest `sub` accepted; identity providers use far shorter ids, this only bounds abuse. */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * Reads `sub`, `roles` and `states` into a Principal, refusing anything malformed: roles
 * must be known platform roles (at least one), states two-digit INEGI codes ('01'..'32').
 * A missing `states` claim means no state of one's own (national roles need none).
 */
export function parsePrincipal(claims: Readonly<Record<string, unknown>>): Principal {
  const problems: string[] = [];
  const { sub, roles, states = [] } = claims;

  if (typeof sub !== 'string' || sub.trim() === '') {
    problems.push('sub must be a non-empty string');
  } else if (sub.length > MAX_SUBJECT_LENGTH) {
    problems.push(`sub must be at most ${MAX_SUBJECT_LENGTH} characters`);
  }

  if (!Array.isArray(roles) || roles.length === 0) {
    problems.push(`roles must be a non-empty array of: ${ALL_ROLES.join(', ')}`);
  } else {
    const unknown = roles.filter((role) => !isRole(role));
    if (unknown.length > 0) {
      problems.push(`roles has unknown role(s) ${describe(unknown)}; known roles: ${ALL_ROLES.join(', ')}`);
    }
  }

  if (!Array.isArray(states)) {
    problems.push("states must be an array of two-digit INEGI state codes ('01'..'32')");
  } else {
    const invalid = states.filter((state) => !isStateCode(state));
    if (invalid.length > 0) {
      problems.push(`states has invalid code(s) ${describe(invalid)}; use two-digit INEGI codes '01'..'32'`);
    }
  }

  if (problems.length > 0) {
    throw new InvalidClaimsError(problems);
  }
  return {
    sub: sub as string,
    roles: unique(roles as Role[]),
    states: unique(states as string[]),
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function describe(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value) ?? String(value)).join(', ');
}
