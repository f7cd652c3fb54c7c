import type { EntityManager } from 'typeorm';
import { NATIONAL_ROLES, type Principal } from '@imb/auth';
import { DomainError } from '@imb/platform';
import { ROSTER_IMPORT } from './roster-import.processor';

/**
 * Takes one of the roster imports (dry runs included) `user` may start per hour, or refuses with
 * 429 ROSTER_IMPORT_LIMIT naming the limit and when the next one is possible.
 *
 * A dry run tells an HR officer, row by row, whether a CURP holds a post in another state, whose
 * roster she may not read: the budget bounds how many CURPs anyone can probe that way. The ledger
 * is the job table itself (each import is a job its caller created, found through the index on
 * kind and time); call this in the transaction that enqueues the import, whose per-person lock
 * makes a second request wait until the first one's job is committed, so two at once cannot both
 * take the last import of the hour. National roles read every state's posts whole (`hr.posts`), so
 * the answers tell them nothing they may not read: they are not counted.
 */
export async function takeRosterImport(m: EntityManager, user: Principal, perHour: number): Promise<void> {
  if (user.roles.some((role) => NATIONAL_ROLES.includes(role))) return;
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('hr.roster-import.budget'), hashtext($1))`, [user.sub]);
  // The person's latest imports of the hour, each with the seconds until it leaves the hour.
  const latest = await m.query<{ leaves_in: number }[]>(
    `SELECT ceil(extract(epoch FROM created_at + interval '1 hour' - now()))::int AS leaves_in
       FROM job
      WHERE kind = $1 AND created_at > now() - interval '1 hour' AND created_by = $2
      ORDER BY created_at DESC
      LIMIT $3`,
    [ROSTER_IMPORT, user.sub, perHour],
  );
  if (latest.length < perHour) return;
  const retryAfterSeconds = Math.max(1, latest[perHour - 1].leaves_in);
  throw new DomainError(
    'ROSTER_IMPORT_LIMIT',
    `You have started ${perHour} roster imports (dry runs included) in the last hour, the most one person may ` +
      `(ROSTER_IMPORTS_PER_HOUR = ${perHour}); the next one is possible in ${Math.ceil(retryAfterSeconds / 60)} min.`,
    429,
    { limit: perHour, retryAfterSeconds },
  );
}
