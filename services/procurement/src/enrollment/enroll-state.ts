import type { EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { StateEnrolled } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';

/**
 * Enrolls a state in the consolidated purchase (IMSS-BIENESTAR buys for it from now on), with
 * the open exercise (the newest not CLOSED), its audit record and state-enrolled, all in the
 * caller's transaction. A state already enrolled is left alone: nothing is written or emitted.
 */
export async function enrollState(m: EntityManager, stateCode: string, enrolledAt: string, cause: string): Promise<boolean> {
  const [row] = await m.query<{ exercise_code: string | null; enrolled_at: Date }[]>(
    `INSERT INTO enrollment (state_code, exercise_code, enrolled_at)
     SELECT $1, (SELECT code FROM exercise WHERE stage <> 'CLOSED' ORDER BY code DESC LIMIT 1), $2
     ON CONFLICT (state_code) DO NOTHING
     RETURNING exercise_code, enrolled_at`,
    [stateCode, enrolledAt],
  );
  if (!row) return false;
  const at = new Date(row.enrolled_at).toISOString();
  await recordAudit(m, {
    action: 'state.enrolled',
    entity: 'Enrollment',
    entityId: stateCode,
    stateCode,
    after: { stateCode, exerciseCode: row.exercise_code, enrolledAt: at },
    reason: cause,
    actor: 'system:procurement',
  });
  await publishEvent(m, StateEnrolled, { stateCode, ...(row.exercise_code ? { exerciseCode: row.exercise_code } : {}), enrolledAt: at });
  return true;
}
