import { ForbiddenException } from '@nestjs/common';
import {
  applyPersonalDataView,
  assertPersonalDataAccess,
  maskCurp,
  maskName,
  maskRfc,
  personalDataView,
  rolesWithPersonalDataAccess,
} from './personal-data-policy';
import type { Principal } from './principal';
import type { Role } from './roles';

const who = (roles: Role[], states: string[] = ['18']): Principal => ({ sub: 't', roles, states });

describe('personal-data policy', () => {
  it('masks CURP, RFC and name so the record stays usable but the person is not named', () => {
    expect(maskCurp('GOMA850101HNTRRR09')).toBe('GOMA**************');
    expect(maskRfc('GOMA850101AB1')).toBe('GOMA*********');
    expect(maskName('Ana María  Gómez Ruiz')).toBe('A. M. G. R.');
  });

  it('gives hr-officers of the state, federal coordinators and auditors the posts whole, other state roles masked', () => {
    expect(personalDataView(who(['hr-officer']), 'hr.posts', '18')).toBe('whole');
    expect(personalDataView(who(['federal-coordinator'], []), 'hr.posts', '18')).toBe('whole');
    expect(personalDataView(who(['auditor'], []), 'hr.posts', '18')).toBe('whole');
    for (const role of ['state-coordinator', 'dignification-officer', 'procurement-officer'] as Role[]) {
      expect(personalDataView(who([role]), 'hr.posts', '18')).toBe('masked');
    }
  });

  it('takes the widest view among the roles that reach the state', () => {
    expect(personalDataView(who(['state-coordinator', 'hr-officer']), 'hr.posts', '18')).toBe('whole');
    expect(personalDataView(who(['hr-officer'], ['13']), 'hr.posts', '18')).toBe('denied');
  });

  it('refuses curp-flags to roles without a view', () => {
    expect(rolesWithPersonalDataAccess('hr.curp-flags')).toEqual(['federal-coordinator', 'hr-officer', 'auditor']);
    expect(() => assertPersonalDataAccess(who(['state-coordinator']), 'hr.curp-flags', '18')).toThrow(ForbiddenException);
    expect(assertPersonalDataAccess(who(['hr-officer']), 'hr.curp-flags', '18')).toBe('whole');
  });

  it("lets only the roles that may know the person read hr's jobs (their row errors quote CURPs)", () => {
    expect(rolesWithPersonalDataAccess('hr.jobs')).toEqual(['federal-coordinator', 'hr-officer', 'auditor']);
    expect(personalDataView(who(['state-coordinator']), 'hr.jobs', '18')).toBe('denied');
  });

  it('masks only the resource’s personal fields and leaves nulls alone', () => {
    const occupant = { curp: 'GOMA850101HNTRRR09', name: 'Ana Gómez', rfc: null, licence: '1234', type: 'BASE' };
    expect(applyPersonalDataView(occupant, 'hr.posts', 'masked')).toEqual({
      curp: 'GOMA**************',
      name: 'A. G.',
      rfc: null,
      licence: '****',
      type: 'BASE',
    });
    expect(applyPersonalDataView(occupant, 'hr.posts', 'whole')).toBe(occupant);
  });
});
