import { ALL_ROLES, Role } from '@imb/auth';
import { canReadJob, jobReadScope, JobReaders } from './job-access';

const principal = (roles: Role[], states: string[]) => ({ sub: 'ana', roles, states });
const everyone: JobReaders = { jobReaders: ALL_ROLES, nationalJobReaders: [] };

describe('job read access', () => {
  it('lets national roles, and callers without a principal (no guard installed), read every job', () => {
    for (const scope of [
      jobReadScope(principal([Role.FederalCoordinator], []), everyone),
      jobReadScope(principal([Role.Auditor], []), everyone),
      jobReadScope(principal([Role.HrOfficer, Role.Auditor], ['13']), everyone),
      jobReadScope(undefined, everyone),
    ]) {
      expect(scope).toEqual({ all: true });
      expect(canReadJob(scope, ['20'])).toBe(true);
      expect(canReadJob(scope, [])).toBe(true);
    }
  });

  it('lets a state-bound caller read a job only when every state of it is hers', () => {
    const scope = jobReadScope(principal([Role.HrOfficer], ['13', '15']), everyone);
    expect(canReadJob(scope, ['13'])).toBe(true);
    expect(canReadJob(scope, ['13', '15'])).toBe(true);
    expect(canReadJob(scope, ['13', '20'])).toBe(false);
  });

  it('lets only the national job readers among state-bound callers read national jobs', () => {
    const readers = { ...everyone, nationalJobReaders: [Role.ProcurementOfficer] };
    expect(canReadJob(jobReadScope(principal([Role.ProcurementOfficer], ['13']), readers), [])).toBe(true);
    expect(canReadJob(jobReadScope(principal([Role.StateCoordinator], ['13']), readers), [])).toBe(false);
    expect(jobReadScope(principal([Role.StateCoordinator, Role.ProcurementOfficer], ['13']), readers)).toEqual({
      all: false,
      states: ['13'],
      nationalJobs: true,
    });
  });

  it("lets only the service's job readers read its jobs, even of their own states (HR: the personal-data policy's)", () => {
    const hr: JobReaders = { jobReaders: [Role.FederalCoordinator, Role.HrOfficer, Role.Auditor], nationalJobReaders: [] };
    expect(canReadJob(jobReadScope(principal([Role.HrOfficer], ['18']), hr), ['18'])).toBe(true);
    for (const role of [Role.StateCoordinator, Role.DignificationOfficer, Role.ProcurementOfficer]) {
      const scope = jobReadScope(principal([role], ['18']), hr);
      expect(scope).toEqual({ all: false, states: [], nationalJobs: false });
      expect(canReadJob(scope, ['18'])).toBe(false);
    }
    // A reader's role counts for her states; another role she holds adds nothing.
    expect(canReadJob(jobReadScope(principal([Role.StateCoordinator, Role.HrOfficer], ['18']), hr), ['18'])).toBe(true);
    // A national role reads everything only when it is one of the readers.
    expect(jobReadScope(principal([Role.Auditor], []), { jobReaders: [Role.HrOfficer], nationalJobReaders: [] })).toEqual({
      all: false,
      states: [],
      nationalJobs: false,
    });
  });
});
