import { assertStateAccess, NATIONAL_ROLES, Principal } from '@imb/auth';

/**
 * Which states' supply a caller sees (ARCHITECTURE rule 9): federal coordinators and auditors
 * every state; procurement officers and state coordinators the states their token carries (a
 * national procurement officer's token carries all 32).
 */
export const readsAllStates = (p: Principal) => p.roles.some((r) => NATIONAL_ROLES.includes(r));

/**
 * The states a read covers: null for all. A `stateCode` the caller may not see is refused by the
 * route's optional @StateScope before this runs (and again here, for callers from elsewhere).
 */
export function supplyScope(p: Principal, stateCode: string | undefined): string[] | null {
  if (stateCode) {
    assertStateAccess(p, stateCode, 'read');
    return [stateCode];
  }
  return readsAllStates(p) ? null : p.states;
}

/** 403 unless the caller may read (or, for 'write', change) the supply of the state. */
export function assertSupplyAccess(p: Principal, stateCode: string, access: 'read' | 'write' = 'read'): void {
  assertStateAccess(p, stateCode, access);
}
