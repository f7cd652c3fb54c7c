import type { EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { UnitReRegistered, UnitReRegisteredV1, UnitStatusChanged, UnitStatusChangedV1 } from '@imb/contracts';
import { publishEvents } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { Unit } from './unit.entity';
import { checkUnitStatusChange, UnitStatusChange } from './unit-lifecycle';

/** The units of a state named by their current or previous CLUES, locked for the transaction. */
export function lockUnits(m: EntityManager, stateCode: string, keys: string[]): Promise<Unit[]> {
  return m
    .getRepository(Unit)
    .createQueryBuilder('u')
    .where('u.stateCode = :stateCode', { stateCode })
    .andWhere('(u.clues = ANY(:keys) OR u.previousClues = ANY(:keys))', { keys })
    .setLock('pessimistic_write')
    .getMany();
}

/** Keys among `keys` that some unit already holds, as its current or previous CLUES. */
export async function takenKeys(m: EntityManager, keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows = await m.query<{ key: string; holder: string }[]>(
    `SELECT k AS key, u.clues AS holder FROM unnest($1::text[]) AS k JOIN unit u ON u.clues = k OR u.previous_clues = k`,
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r.holder]));
}

/** What a unit looks like in audit records. */
function auditView(u: Unit) {
  return {
    clues: u.clues,
    previousClues: u.previousClues,
    status: u.status,
    statusReason: u.statusReason,
    ownership: u.ownership,
    regularizationStatus: u.regularizationStatus,
    acta: u.actaNumber ? { number: u.actaNumber, date: u.actaDate, documentSha256: u.actaDocumentSha256 } : null,
  };
}

/**
 * Applies allowed status changes in the caller's transaction: each unit row, its audit record,
 * and the unit-status-changed events (plus unit-re-registered for a new CLUES), written together.
 * Throws the lifecycle's DomainError for a change that is not allowed (checked again here, on
 * the locked row) and 409 when a new CLUES is already some unit's key.
 */
export async function applyUnitStatusChanges(
  m: EntityManager,
  items: { unit: Unit; change: UnitStatusChange }[],
  now = new Date(),
): Promise<Unit[]> {
  const newKeys = items.flatMap((i) => (i.change.toStatus === 'RE_REGISTERED' && i.change.newClues ? [i.change.newClues] : []));
  const taken = await takenKeys(m, newKeys);
  const at = now.toISOString();
  const statusEvents: UnitStatusChangedV1[] = [];
  const reRegistered: UnitReRegisteredV1[] = [];
  for (const { unit, change } of items) {
    checkUnitStatusChange(unit, change, now);
    const before = auditView(unit);
    const fromStatus = unit.status;
    if (change.toStatus === 'RE_REGISTERED') {
      const newClues = change.newClues!;
      const holder = taken.get(newClues);
      if (holder) throw new DomainError('CLUES_TAKEN', `${newClues} is already the key of unit ${holder}`, 409);
      taken.set(newClues, unit.clues);
      unit.previousClues = unit.clues;
      unit.clues = newClues;
      unit.institution = newClues.slice(2, 5);
      reRegistered.push({ unitId: unit.id, stateCode: unit.stateCode, previousClues: unit.previousClues, clues: newClues, reRegisteredAt: at });
    }
    if (change.toStatus === 'HANDED_OVER' && change.acta) {
      unit.actaNumber = change.acta.number;
      unit.actaDate = change.acta.date;
      unit.actaDocumentSha256 = change.acta.documentSha256 ?? null;
    }
    unit.ownership = change.ownership ?? unit.ownership;
    if (change.regularizationStatus) unit.regularizationStatus = change.regularizationStatus;
    else if (change.toStatus === 'NEEDS_REGULARIZATION' && unit.regularizationStatus !== 'in-progress') unit.regularizationStatus = 'pending';
    unit.status = change.toStatus;
    unit.statusReason = change.reason ?? null;
    unit.updatedAt = now;
    await m.getRepository(Unit).update(
      { id: unit.id },
      {
        clues: unit.clues,
        previousClues: unit.previousClues,
        institution: unit.institution,
        status: unit.status,
        statusReason: unit.statusReason,
        ownership: unit.ownership,
        regularizationStatus: unit.regularizationStatus,
        actaNumber: unit.actaNumber,
        actaDate: unit.actaDate,
        actaDocumentSha256: unit.actaDocumentSha256,
        updatedAt: now,
      },
    );
    await recordAudit(m, {
      action: 'unit.status-changed',
      entity: 'Unit',
      entityId: unit.id,
      stateCode: unit.stateCode,
      before,
      after: auditView(unit),
      reason: change.reason ?? null,
    });
    statusEvents.push({
      unitId: unit.id,
      clues: unit.clues,
      stateCode: unit.stateCode,
      fromStatus,
      toStatus: unit.status,
      reason: change.reason,
      actaNumber: change.toStatus === 'HANDED_OVER' ? unit.actaNumber ?? undefined : undefined,
      changedAt: at,
    });
  }
  await publishEvents(m, UnitStatusChanged, statusEvents);
  await publishEvents(m, UnitReRegistered, reRegistered);
  return items.map((i) => i.unit);
}
