import { ForbiddenException } from '@nestjs/common';
import type { Principal } from './principal';
import { rolesReachState } from './principal';
import { ALL_ROLES, Role } from './roles';

/**
 * The personal-data policy (ARCHITECTURE rule 9, docs/data-access.md) as the one table that the
 * routes enforce and the tests read: for each resource that carries a worker's identity, what
 * each role gets of it. Roles that need the record but not the person get it masked.
 */

/** What a role gets of a resource's personal fields. */
export type PersonalDataView = 'whole' | 'masked' | 'denied';

/** Resources that return a worker's CURP, name, RFC or licence (cédula profesional). */
export type PersonalDataResource = 'hr.posts' | 'hr.curp-flags' | 'hr.formalization-candidates' | 'hr.jobs' | 'audit.records';

export interface PersonalDataRule {
  /** The routes that serve the resource. */
  routes: readonly string[];
  /** The personal fields in each record (masked when the view is 'masked'). */
  fields: readonly PersonalField[];
  /** The view of each role; a role without the route at all is 'denied'. */
  views: Readonly<Record<Role, PersonalDataView>>;
}

/** Fields that identify a person. Contract type, origin and dates and the profession are not masked. */
export type PersonalField = 'curp' | 'name' | 'rfc' | 'licence';

const WHOLE_FOR_HR_FEDERAL_AUDIT = {
  [Role.FederalCoordinator]: 'whole',
  [Role.HrOfficer]: 'whole',
  [Role.Auditor]: 'whole',
} as const;

/** The policy table; docs/data-access.md is its prose. */
export const PERSONAL_DATA_POLICY: Readonly<Record<PersonalDataResource, PersonalDataRule>> = Object.freeze({
  'hr.posts': {
    routes: ['GET /api/hr/states/{stateCode}/posts'],
    fields: ['curp', 'name', 'rfc', 'licence'],
    views: {
      ...WHOLE_FOR_HR_FEDERAL_AUDIT,
      [Role.StateCoordinator]: 'masked',
      [Role.DignificationOfficer]: 'masked',
      [Role.ProcurementOfficer]: 'masked',
    },
  },
  'hr.curp-flags': {
    routes: ['GET /api/hr/states/{stateCode}/curp-flags'],
    fields: ['curp'],
    views: {
      ...WHOLE_FOR_HR_FEDERAL_AUDIT,
      [Role.StateCoordinator]: 'denied',
      [Role.DignificationOfficer]: 'denied',
      [Role.ProcurementOfficer]: 'denied',
    },
  },
  'hr.formalization-candidates': {
    routes: [
      'GET /api/hr/formalization/campaigns/{id}/candidates',
      'GET /api/hr/formalization/campaigns/{id}/candidates/{curp}',
    ],
    fields: ['curp', 'name'],
    views: {
      ...WHOLE_FOR_HR_FEDERAL_AUDIT,
      [Role.StateCoordinator]: 'masked',
      [Role.DignificationOfficer]: 'denied',
      [Role.ProcurementOfficer]: 'denied',
    },
  },
  // Roster imports quote CURPs in their row errors, formalization step moves list them in their
  // request and result: only the roles that may know the person read hr's jobs at all. There is no masked view of a free-text
  // message, so the others are denied: left out of listings, 404 for one job as for none.
  'hr.jobs': {
    routes: [
      'GET /api/jobs',
      'GET /api/jobs/{id}',
      'GET /api/jobs/{id}/errors',
      'GET /api/jobs/{id}/events',
      'GET /api/jobs/{id}/stream',
    ],
    fields: ['curp'],
    views: {
      ...WHOLE_FOR_HR_FEDERAL_AUDIT,
      [Role.StateCoordinator]: 'denied',
      [Role.DignificationOfficer]: 'denied',
      [Role.ProcurementOfficer]: 'denied',
    },
  },
  // Audit records say who changed what (formalization steps and appointments name the worker's CURP):
  // every role of the state reads the trail, only those who may know the person read the CURP.
  'audit.records': {
    routes: ['GET /api/audit', 'GET /api/{service}/audit'],
    fields: ['curp'],
    views: {
      ...WHOLE_FOR_HR_FEDERAL_AUDIT,
      [Role.StateCoordinator]: 'masked',
      [Role.DignificationOfficer]: 'masked',
      [Role.ProcurementOfficer]: 'masked',
    },
  },
});

const RANK: Record<PersonalDataView, number> = { denied: 0, masked: 1, whole: 2 };

/** The roles that may call a resource's routes at all (whole or masked), for `@Roles(...)`. */
export function rolesWithPersonalDataAccess(resource: PersonalDataResource): Role[] {
  const { views } = PERSONAL_DATA_POLICY[resource];
  return ALL_ROLES.filter((role) => views[role] !== 'denied');
}

/**
 * The view the principal gets of a resource in `stateCode`: the widest among its roles that
 * reach the state (a role held for other states does not count here).
 */
export function personalDataView(
  principal: Principal,
  resource: PersonalDataResource,
  stateCode: string,
): PersonalDataView {
  const { views } = PERSONAL_DATA_POLICY[resource];
  let best: PersonalDataView = 'denied';
  for (const role of principal.roles) {
    if (rolesReachState([role], principal.states, stateCode) && RANK[views[role]] > RANK[best]) best = views[role];
  }
  return best;
}

/** True when the principal sees the resource's personal fields whole in `stateCode`. */
export function canSeePersonalData(principal: Principal, resource: PersonalDataResource, stateCode: string): boolean {
  return personalDataView(principal, resource, stateCode) === 'whole';
}

/** Throws 403 when the policy gives the principal no view of the resource in `stateCode`. */
export function assertPersonalDataAccess(
  principal: Principal,
  resource: PersonalDataResource,
  stateCode: string,
): PersonalDataView {
  const view = personalDataView(principal, resource, stateCode);
  if (view === 'denied') {
    throw new ForbiddenException(
      `The personal-data policy gives your roles [${principal.roles.join(', ')}] no access to ${resource} of state ${stateCode}.`,
    );
  }
  return view;
}

const MASK = '*';

/** `GOMA850101HNTRRR09` → `GOMA**************`: the initials of the name, not the person. */
export function maskCurp(curp: string): string {
  return curp.slice(0, 4) + MASK.repeat(Math.max(0, curp.length - 4));
}

/** `GOMA850101AB1` → `GOMA*********`. */
export function maskRfc(rfc: string): string {
  return rfc.slice(0, 4) + MASK.repeat(Math.max(0, rfc.length - 4));
}

/** `Ana María Gómez Ruiz` → `A. M. G. R.`. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .map((part) => `${[...part][0].toUpperCase()}.`)
    .join(' ');
}

/** `12345678` → `********`: a licence number has no part worth keeping. */
export function maskLicence(licence: string): string {
  return MASK.repeat(licence.length);
}

const MASKERS: Record<PersonalField, (value: string) => string> = {
  curp: maskCurp,
  name: maskName,
  rfc: maskRfc,
  licence: maskLicence,
};

/**
 * The record with the resource's personal fields masked when `view` is 'masked' (unchanged when
 * 'whole'); null and absent fields stay as they are.
 */
export function applyPersonalDataView<T extends object>(
  record: T,
  resource: PersonalDataResource,
  view: PersonalDataView,
): T {
  if (view === 'whole') return record;
  const masked = { ...record } as Record<string, unknown>;
  for (const field of PERSONAL_DATA_POLICY[resource].fields) {
    const value = masked[field];
    if (typeof value === 'string') masked[field] = MASKERS[field](value);
  }
  return masked as T;
}
