import { NATIONAL_ROLES, type Principal, type Role } from '@imb/auth';

/**
 * Which jobs a caller may read. Jobs are read only (every `/jobs` route is a GET), and their
 * requests and row errors may hold a state's roster data (names, CURPs), so:
 * - a national role (federal coordinator, auditor) reads every job;
 * - any other caller reads a job whose states are all among her token's states (a campaign job
 *   spanning two states needs both, as starting it did);
 * - a national job (no state: a demand import, a consolidation, an allocation…) is read by the
 *   national roles and by the service's `nationalJobReaders` — the roles that start those jobs
 *   (procurement officer, dignification officer), who must be able to follow them.
 */
export type JobReadScope =
  | { all: true }
  | { all: false; states: readonly string[]; nationalJobs: boolean };

/** The jobs `principal` may read; everything when there is no principal (no auth guard installed). */
export function jobReadScope(principal: Principal | undefined, nationalJobReaders: readonly Role[]): JobReadScope {
  if (!principal || principal.roles.some((role) => NATIONAL_ROLES.includes(role))) return { all: true };
  return {
    all: false,
    states: principal.states,
    nationalJobs: principal.roles.some((role) => nationalJobReaders.includes(role)),
  };
}

/** Null when the scope covers a job of `stateCodes`, otherwise the reason it does not (a 403 message). */
export function jobReadRefusal(scope: JobReadScope, jobId: string, stateCodes: readonly string[]): string | null {
  if (scope.all) return null;
  if (stateCodes.length === 0) {
    return scope.nationalJobs
      ? null
      : `Job ${jobId} is a national job: only national roles (${NATIONAL_ROLES.join(', ')}) and the roles that start such jobs may read it.`;
  }
  const missing = stateCodes.filter((code) => !scope.states.includes(code));
  if (missing.length === 0) return null;
  return `You may not read job ${jobId}: it holds data of the state(s) [${stateCodes.join(', ')}] and your token grants [${scope.states.join(', ') || 'none'}] and no national role.`;
}
