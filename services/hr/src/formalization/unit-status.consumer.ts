import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CloudEvent, UnitInventoried, UnitReRegistered, UnitStatusChanged, UnitStatusChangedV1 } from '@imb/contracts';
import { MessagingService } from '@imb/messaging';

/** Keeps a unit's transfer status; an older event (by time) never overwrites a newer one. */
export async function applyUnitStatusChanged(m: EntityManager, event: CloudEvent<UnitStatusChangedV1>): Promise<void> {
  const u = event.data;
  await m.query(
    `INSERT INTO formalization_unit_status (unit_id, status, reason, changed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, changed_at = EXCLUDED.changed_at
     WHERE formalization_unit_status.changed_at <= EXCLUDED.changed_at`,
    [u.unitId, u.toStatus, u.reason ?? null, u.changedAt],
  );
}

/**
 * The units' transfer status (group `hr.formalization-units`): criterion 2 asks whether a
 * candidate works in a unit that is part of the transfer, i.e. not excluded from it.
 */
@Injectable()
export class UnitStatusConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: 'hr.formalization-units',
      topics: [UnitStatusChanged.topic],
      handlers: { [UnitStatusChanged.type]: (event, { manager }) => applyUnitStatusChanged(manager, event as CloudEvent<UnitStatusChangedV1>) },
      // The units' keys and names are kept by the units read model (group hr.units).
      ignore: [UnitInventoried.type, UnitReRegistered.type],
    });
  }
}
