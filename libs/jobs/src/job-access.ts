import { NATIONAL_ROLES, type Principal, type Role } from '@imb/auth';

/**
 * Which jobs a caller may read. Jobs are read only (every `/jobs` route is a GET), and their
 * requests, results and row errors may hold a state's data, personal data included (a roster
 * import's row errors quote CURPs), so:
 * - only the service's `jobReaders` read its jobs at all: in HR, the roles the personal-data
 *   policy lets see a worker (`hr.jobs` in libs/auth); a national one among them reads every job;
 * - any other reader reads a job whose states are all among her token's states (a campaign job
 *   spanning two states needs both, as starting it did);
 * - a national job (no state: a demand import, a consolidation, an allocation…) is read by the
 *   national readers and by the service's `nationalJobReaders` — the roles that start those jobs
 *   (procurement officer, dignification officer), who must be able to follow them.
 */
export type JobReadScope =
  | { all: true }
  | { all: false; states: readonly string[]; nationalJobs: boolean };

/** The roles of a service that read its jobs (see jobs.options.ts). */
export interface JobReaders {
  /** Roles that read the service's jobs of the states they reach (a national one: every job). */
  jobReaders: readonly Role[];
  /** Roles, besides the national job readers, that read the service's national jobs. */
  nationalJobReaders: readonly Role[];
}

/** The jobs `principal` may read; everything when there is no principal (no auth guard installed). */
export function jobReadScope(principal: Principal | undefined, readers: JobReaders): JobReadScope {
  if (!principal) return { all: true };
  const reading = principal.roles.filter((role) => readers.jobReaders.includes(role));
  if (reading.some((role) => NATIONAL_ROLES.includes(role))) return { all: true };
  return {
    all: false,
    // A role that may not read the service's jobs reads none of its states' jobs.
    states: reading.length > 0 ? principal.states : [],
    nationalJobs: principal.roles.some((role) => readers.nationalJobReaders.includes(role)),
  };
}

/** True when the scope covers a job of `stateCodes` (none: a national job). */
export function canReadJob(scope: JobReadScope, stateCodes: readonly string[]): boolean {
  if (scope.all) return true;
  if (stateCodes.length === 0) return scope.nationalJobs;
  return stateCodes.every((code) => scope.states.includes(code));
}
