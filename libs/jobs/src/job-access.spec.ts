import { Role } from '@imb/auth';
import { jobReadRefusal, jobReadScope } from './job-access';

const principal = (roles: Role[], states: string[]) => ({ sub: 'ana', roles, states });
const ID = 'hr-0b8f2e4c-1d3a-4c5b-9e6f-7a8b9c0d1e2f';

describe('job read access', () => {
  it('lets national roles, and callers without a principal (no guard installed), read every job', () => {
    for (const scope of [
      jobReadScope(principal([Role.FederalCoordinator], []), []),
      jobReadScope(principal([Role.Auditor], []), []),
      jobReadScope(principal([Role.HrOfficer, Role.Auditor], ['13']), []),
      jobReadScope(undefined, []),
    ]) {
      expect(scope).toEqual({ all: true });
      expect(jobReadRefusal(scope, ID, ['20'])).toBeNull();
      expect(jobReadRefusal(scope, ID, [])).toBeNull();
    }
  });

  it('lets a state-bound caller read a job only when every state of it is hers', () => {
    const scope = jobReadScope(principal([Role.HrOfficer], ['13', '15']), []);
    expect(jobReadRefusal(scope, ID, ['13'])).toBeNull();
    expect(jobReadRefusal(scope, ID, ['13', '15'])).toBeNull();
    expect(jobReadRefusal(scope, ID, ['13', '20'])).toBe(
      `You may not read job ${ID}: it holds data of the state(s) [13, 20] and your token grants [13, 15] and no national role.`,
    );
  });

  it('lets only the national job readers among state-bound callers read national jobs', () => {
    const readers = [Role.ProcurementOfficer];
    expect(jobReadRefusal(jobReadScope(principal([Role.ProcurementOfficer], ['13']), readers), ID, [])).toBeNull();
    expect(jobReadRefusal(jobReadScope(principal([Role.StateCoordinator], ['13']), readers), ID, [])).toMatch(
      /is a national job: only national roles \(federal-coordinator, auditor\)/,
    );
    expect(jobReadScope(principal([Role.StateCoordinator, Role.ProcurementOfficer], ['13']), readers)).toEqual({
      all: false,
      states: ['13'],
      nationalJobs: true,
    });
  });
});
