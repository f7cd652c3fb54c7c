import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitInventoried, UnitInventoriedV1, UnitReRegistered, UnitReRegisteredV1, UnitStatusChanged } from '@imb/contracts';
import { MessagingService } from '@imb/messaging';

/** Keeps a unit's row of the read model from unit-inventoried (insert or rename). */
export async function applyUnitInventoried(m: EntityManager, u: UnitInventoriedV1): Promise<void> {
  await m.query(
    `INSERT INTO hr_unit (unit_id, clues, state_code, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()`,
    [u.unitId, u.clues, u.stateCode, u.name],
  );
}

/**
 * Moves a unit to its new CLUES. Posts reference the unit by id, so they follow it; the old key
 * stays known as `previous_clues`, so rosters still naming it resolve to the same unit.
 */
export async function applyUnitReRegistered(m: EntityManager, u: UnitReRegisteredV1): Promise<void> {
  const [moved] = await m.query<{ n: number }[]>(
    `WITH moved AS (UPDATE hr_unit SET clues = $2, previous_clues = $3, updated_at = now() WHERE unit_id = $1 RETURNING unit_id)
     SELECT count(*)::int AS n FROM moved`,
    [u.unitId, u.clues, u.previousClues],
  );
  if (!moved.n) {
    // Re-registered before we saw it inventoried: know it under both keys from now on.
    await m.query(
      `INSERT INTO hr_unit (unit_id, clues, previous_clues, state_code, name) VALUES ($1, $2, $3, $4, $2)`,
      [u.unitId, u.clues, u.previousClues, u.stateCode],
    );
  }
}

/** Units known from the transfer service's events (group `hr.units`, topic transfer.unit.v1). */
@Injectable()
export class UnitEventsConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: 'hr.units',
      topics: [UnitInventoried.topic],
      handlers: {
        [UnitInventoried.type]: (event, { manager }) => applyUnitInventoried(manager, event.data as UnitInventoriedV1),
        [UnitReRegistered.type]: (event, { manager }) => applyUnitReRegistered(manager, event.data as UnitReRegisteredV1),
      },
      // A unit's lifecycle does not change where its posts are.
      ignore: [UnitStatusChanged.type],
    });
  }
}
