import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CloudEvent,
  eventTypesOnTopic,
  Topics,
  UnitInventoried,
  UnitInventoriedV1,
  UnitReRegistered,
  UnitReRegisteredV1,
  UnitStatusChanged,
  UnitStatusChangedV1,
} from '@imb/contracts';
import { MessagingService } from '@imb/messaging';
import { classify } from './eligibility-rules';
import { RulesInForce } from './rules.config';

/** Consumer group of the eligible-units read model. */
export const UNITS_GROUP = 'dignification.units';

const HANDLED = [UnitInventoried.type, UnitStatusChanged.type, UnitReRegistered.type];

/**
 * Keeps `eligible_unit` from transfer's unit events (group `dignification.units`): an
 * inventoried unit is stored with its classification; a status change or re-registration
 * updates it. Inventories arrive by the thousand, so they are applied in one statement per run.
 */
@Injectable()
export class UnitEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly rules: RulesInForce,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: UNITS_GROUP,
      topics: [Topics.TransferUnit],
      handlers: {
        [UnitStatusChanged.type]: (e, { manager }) => this.statusChanged(manager, (e as CloudEvent<UnitStatusChangedV1>).data),
        [UnitReRegistered.type]: (e, { manager }) => this.reRegistered(manager, (e as CloudEvent<UnitReRegisteredV1>).data),
      },
      batchHandlers: {
        [UnitInventoried.type]: (events, { manager }) => this.inventoried(manager, events.map((e) => (e as CloudEvent<UnitInventoriedV1>).data)),
      },
      ignore: eventTypesOnTopic(Topics.TransferUnit).filter((t) => !HANDLED.includes(t)),
    });
  }

  async inventoried(manager: EntityManager, units: UnitInventoriedV1[]): Promise<void> {
    // The last event of a unit in the run wins, as it would applied one by one.
    const latest = [...new Map(units.map((u) => [u.unitId, u])).values()];
    const rows = latest.map((u) => ({ u, c: classify({ ...u, transferStatus: 'INVENTORIED' }, this.rules.rules) }));
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    await manager.query(
      `INSERT INTO eligible_unit (unit_id, clues, state_code, name, establishment_type, typology, care_level, stratum,
                                  locality_code, locality, latitude, longitude, eligible, tier, amount, exclusion_reason, exclusion_message)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::char(9)[], $10::text[], $11::float8[], $12::float8[], $13::bool[], $14::text[], $15::numeric[], $16::text[], $17::text[])
       ON CONFLICT (unit_id) DO UPDATE SET
         clues = EXCLUDED.clues, state_code = EXCLUDED.state_code, name = EXCLUDED.name,
         establishment_type = EXCLUDED.establishment_type, typology = EXCLUDED.typology, care_level = EXCLUDED.care_level,
         stratum = EXCLUDED.stratum, locality_code = EXCLUDED.locality_code, locality = EXCLUDED.locality,
         latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
         eligible = EXCLUDED.eligible, tier = EXCLUDED.tier, amount = EXCLUDED.amount,
         exclusion_reason = EXCLUDED.exclusion_reason, exclusion_message = EXCLUDED.exclusion_message, updated_at = now()`,
      [
        col((r) => r.u.unitId),
        col((r) => r.u.clues),
        col((r) => r.u.stateCode),
        col((r) => r.u.name),
        col((r) => r.u.establishmentType ?? null),
        col((r) => r.u.typology ?? null),
        col((r) => r.u.careLevel ?? null),
        col((r) => r.u.stratum ?? null),
        col((r) => r.u.localityCode ?? null),
        col((r) => r.u.locality ?? null),
        col((r) => r.u.latitude ?? null),
        col((r) => r.u.longitude ?? null),
        col((r) => r.c.eligible),
        col((r) => (r.c.eligible ? r.c.tier : null)),
        col((r) => (r.c.eligible ? r.c.amount : null)),
        col((r) => (r.c.eligible ? null : r.c.reason)),
        col((r) => (r.c.eligible ? null : r.c.message)),
      ],
    );
  }

  async statusChanged(manager: EntityManager, p: UnitStatusChangedV1): Promise<void> {
    const [row] = await manager.query(
      `SELECT clues, state_code, establishment_type, typology, care_level, stratum FROM eligible_unit WHERE unit_id = $1 FOR UPDATE`,
      [p.unitId],
    );
    // A status change of a unit never inventoried here (older than this read model) has nothing to update.
    if (!row) return;
    const c = classify(
      { clues: p.clues, stateCode: p.stateCode, establishmentType: row.establishment_type, typology: row.typology, careLevel: row.care_level, stratum: row.stratum, transferStatus: p.toStatus },
      this.rules.rules,
    );
    await manager.query(
      `UPDATE eligible_unit SET clues = $2, transfer_status = $3, eligible = $4, tier = $5, amount = $6, exclusion_reason = $7, exclusion_message = $8, updated_at = now()
        WHERE unit_id = $1`,
      [p.unitId, p.clues, p.toStatus, c.eligible, c.eligible ? c.tier : null, c.eligible ? c.amount : null, c.eligible ? null : c.reason, c.eligible ? null : c.message],
    );
  }

  async reRegistered(manager: EntityManager, p: UnitReRegisteredV1): Promise<void> {
    await manager.query(`UPDATE eligible_unit SET clues = $2, previous_clues = $3, updated_at = now() WHERE unit_id = $1`, [p.unitId, p.clues, p.previousClues]);
  }
}
