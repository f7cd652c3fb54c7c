import { decideAccess, type RouteRequirements } from './access-policy';
import { assertStateAccess, canAccessState, type Principal } from './principal';
import type { Role } from './roles';

const principals = {
  federal: { sub: 'fed', roles: ['federal-coordinator'], states: [] },
  coordinator13: { sub: 'sc13', roles: ['state-coordinator'], states: ['13'] },
  hr13and14: { sub: 'hr', roles: ['hr-officer'], states: ['13', '14'] },
  auditor: { sub: 'aud', roles: ['auditor'], states: [] },
  auditorAndHr13: { sub: 'aud-hr', roles: ['auditor', 'hr-officer'], states: ['13'] },
} satisfies Record<string, Principal>;
type Who = keyof typeof principals;
const { federal, coordinator13, hr13and14, auditor, auditorAndHr13 } = principals;

const coordinators: Role[] = ['state-coordinator', 'federal-coordinator'];

type Expected = 'allow' | RegExp;
const DENY_ROLE = /requires one of the roles/;
const DENY_STATE = /may not (access|change data of) state/;
const READ_ONLY = /Auditors are read-only/;

// [principal, method, @Roles, state, expected]
const matrix: Array<[Who, string, Role[] | undefined, string | undefined, Expected]> = [
  // a route for coordinators, scoped to a state
  ['federal', 'GET', coordinators, '13', 'allow'],
  ['federal', 'GET', coordinators, '20', 'allow'],
  ['coordinator13', 'GET', coordinators, '13', 'allow'],
  ['coordinator13', 'GET', coordinators, '14', DENY_STATE],
  ['hr13and14', 'GET', coordinators, '13', DENY_ROLE],
  ['auditor', 'GET', coordinators, '13', DENY_ROLE],
  // any role, scoped to a state
  ['auditor', 'GET', undefined, '07', 'allow'],
  ['auditor', 'HEAD', undefined, '07', 'allow'],
  ['hr13and14', 'GET', undefined, '14', 'allow'],
  ['hr13and14', 'get', undefined, '15', DENY_STATE],
  ['auditorAndHr13', 'GET', undefined, '20', 'allow'],
  // writes
  ['coordinator13', 'POST', undefined, '13', 'allow'],
  ['coordinator13', 'PATCH', undefined, '14', DENY_STATE],
  ['federal', 'DELETE', undefined, '31', 'allow'],
  ['auditor', 'POST', undefined, '13', READ_ONLY],
  ['auditor', 'PUT', undefined, undefined, READ_ONLY],
  ['auditor', 'DELETE', ['hr-officer'], undefined, READ_ONLY],
  ['auditor', 'OPTIONS', undefined, undefined, READ_ONLY],
  ['auditorAndHr13', 'POST', undefined, '13', 'allow'],
  ['auditorAndHr13', 'POST', undefined, '20', DENY_STATE],
  ['auditorAndHr13', 'POST', ['state-coordinator'], '13', DENY_ROLE],
  // a write route that names auditors explicitly
  ['auditor', 'POST', ['auditor'], undefined, 'allow'],
  ['auditor', 'POST', ['auditor', 'federal-coordinator'], '09', 'allow'],
  ['hr13and14', 'POST', ['auditor'], undefined, DENY_ROLE],
  // no requirements at all
  ['hr13and14', 'POST', [], undefined, 'allow'],
];

describe('decideAccess', () => {
  it.each(matrix)('%s %s roles=%p state=%p → %p', (who, method, roles, stateCode, expected) => {
    const route: RouteRequirements = { method, roles, stateCode };
    const decision = decideAccess(principals[who], route);
    if (expected === 'allow') {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision.allowed).toBe(false);
      expect(decision.allowed ? '' : decision.message).toMatch(expected);
    }
  });

  it('says which roles were needed and which the caller has', () => {
    expect(decideAccess(hr13and14, { method: 'GET', roles: coordinators })).toEqual({
      allowed: false,
      message:
        'This action requires one of the roles [state-coordinator, federal-coordinator]; your token has [hr-officer].',
    });
  });

  it("names the caller's states when refusing another state", () => {
    const decision = decideAccess(coordinator13, { method: 'GET', stateCode: '14' });
    expect(decision.allowed ? '' : decision.message).toBe(
      'You may not access state 14: your token grants the states [13] and no national role.',
    );
  });
});

describe('canAccessState / assertStateAccess', () => {
  it('lets national roles read every state and others only their own', () => {
    expect(canAccessState(federal, '01')).toBe(true);
    expect(canAccessState(auditor, '32')).toBe(true);
    expect(canAccessState(hr13and14, '14')).toBe(true);
    expect(canAccessState(hr13and14, '15')).toBe(false);
  });

  it('does not let the auditor role widen writes', () => {
    expect(canAccessState(federal, '01', 'write')).toBe(true);
    expect(canAccessState(auditor, '01', 'write')).toBe(false);
    expect(canAccessState(auditorAndHr13, '13', 'write')).toBe(true);
    expect(canAccessState(auditorAndHr13, '20', 'write')).toBe(false);
  });

  it('throws a 403 with a clear message', () => {
    expect(() => assertStateAccess(coordinator13, '13')).not.toThrow();
    expect(() => assertStateAccess(coordinator13, '09')).toThrow(
      expect.objectContaining({ status: 403, message: expect.stringMatching(/may not access state 09/) }),
    );
    expect(() => assertStateAccess(auditor, '09', 'write')).toThrow(/Auditors are read-only/);
  });
});
