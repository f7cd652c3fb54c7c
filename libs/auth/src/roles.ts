/** The platform's roles (ARCHITECTURE rule 9); a token's `roles` claim may only hold these. */
export const Role = {
  FederalCoordinator: 'federal-coordinator',
  StateCoordinator: 'state-coordinator',
  HrOfficer: 'hr-officer',
  ProcurementOfficer: 'procurement-officer',
  DignificationOfficer: 'dignification-officer',
  Auditor: 'auditor',
} as const;

/** One of the platform's role names, e.g. `'state-coordinator'`. */
export type Role = (typeof Role)[keyof typeof Role];

/** Every role, in a stable order (useful for validation and documentation). */
export const ALL_ROLES: readonly Role[] = Object.freeze(Object.values(Role));

/** Roles whose holders see every state, not only the states listed in their token. */
export const NATIONAL_ROLES: readonly Role[] = Object.freeze([Role.FederalCoordinator, Role.Auditor]);

/** True when `value` is the name of a platform role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
