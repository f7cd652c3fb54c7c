import { EntityManager } from 'typeorm';
import { CloudEvent, StageChangedV1, stateByCode } from '@imb/contracts';

/**
 * Applies a stage-changed event to the local `state` table. Events of one state arrive in order
 * (the Kafka key is the state code); the time guard also keeps a replayed older event from
 * rolling a state back.
 */
export async function applyStageChanged(event: CloudEvent<StageChangedV1>, manager: EntityManager): Promise<void> {
  const d = event.data;
  await manager.query(
    `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (state_code) DO UPDATE SET
       stage = EXCLUDED.stage, stage_since = EXCLUDED.stage_since, definition_version = EXCLUDED.definition_version,
       last_event_id = EXCLUDED.last_event_id, last_event_at = EXCLUDED.last_event_at, updated_at = now()
     WHERE state.last_event_at <= EXCLUDED.last_event_at`,
    [d.stateCode, stateByCode(d.stateCode)?.name ?? d.stateCode, d.toStage, d.changedAt, d.definitionVersion, event.id, event.time],
  );
}
