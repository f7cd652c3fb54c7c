import { UNIT_STATUSES, UnitStatus } from '@imb/contracts';
import { DomainError } from '@imb/platform';

/** How the state holds a unit's property (PROPIEDAD DEL INMUEBLE, and what coordinators record). */
export const OWNERSHIPS = ['propio', 'comodato', 'rentado', 'posesion-ejido', 'otro'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

/** Where the regularization of a unit's property stands (our rule: no deadline, never blocking). */
export const REGULARIZATION_STATUSES = ['not-required', 'pending', 'in-progress', 'regularized'] as const;
export type RegularizationStatus = (typeof REGULARIZATION_STATUSES)[number];

/**
 * The moves of a unit's lifecycle (DOMAIN.md §1): inventoried → included / excluded / needs
 * regularization → handed over (acta) → re-registered (new CLUES) → operating. Exclusion can be
 * undone with a reason; a unit whose property is being regularized may still be handed over
 * (regularization has no deadline and does not block the transfer).
 */
export const UNIT_MOVES: Readonly<Record<UnitStatus, readonly UnitStatus[]>> = {
  INVENTORIED: ['INCLUDED', 'EXCLUDED', 'NEEDS_REGULARIZATION'],
  INCLUDED: ['EXCLUDED', 'NEEDS_REGULARIZATION', 'HANDED_OVER'],
  NEEDS_REGULARIZATION: ['INCLUDED', 'EXCLUDED', 'HANDED_OVER'],
  EXCLUDED: ['INCLUDED', 'NEEDS_REGULARIZATION'],
  HANDED_OVER: ['RE_REGISTERED'],
  RE_REGISTERED: ['OPERATING'],
  OPERATING: [],
};

/** The handover record of one unit (entrega-recepción). */
export interface HandoverActa {
  number: string;
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  /** SHA-256 of the signed acta, as stored by the documents feature. */
  documentSha256?: string;
}

/** What a coordinator asks of one unit. */
export interface UnitStatusChange {
  toStatus: UnitStatus;
  reason?: string;
  ownership?: Ownership;
  regularizationStatus?: RegularizationStatus;
  acta?: HandoverActa;
  /** The unit's new CLUES, for RE_REGISTERED. */
  newClues?: string;
}

/** The parts of a unit the rules look at. */
export interface UnitForMove {
  clues: string;
  status: UnitStatus;
  ownership: Ownership | null;
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/**
 * Throws the DomainError that refuses `change` for `unit` (409 for a move the lifecycle does
 * not allow, 400 for missing or misplaced details), or returns when the move is allowed.
 */
export function checkUnitStatusChange(unit: UnitForMove, change: UnitStatusChange, today = new Date()): void {
  const { toStatus } = change;
  if (!(UNIT_STATUSES as readonly string[]).includes(toStatus)) {
    throw new DomainError('UNKNOWN_UNIT_STATUS', `toStatus must be one of ${UNIT_STATUSES.join(', ')}`, 400);
  }
  if (unit.status === toStatus) {
    throw new DomainError('UNIT_ALREADY_IN_STATUS', `Unit ${unit.clues} is already ${toStatus}`, 409);
  }
  const allowed = UNIT_MOVES[unit.status];
  if (!allowed.includes(toStatus)) {
    const next = allowed.length ? `it can only go to ${list(allowed)}` : 'it is at the end of its lifecycle';
    throw new DomainError(
      'UNIT_MOVE_NOT_ALLOWED',
      `Unit ${unit.clues} is ${unit.status}: ${next}, not ${toStatus}`,
      409,
      { fromStatus: unit.status, allowed },
    );
  }
  if ((toStatus === 'EXCLUDED' || unit.status === 'EXCLUDED') && !change.reason?.trim()) {
    const what = toStatus === 'EXCLUDED' ? 'Excluding' : 'Bringing back an excluded unit';
    throw new DomainError('REASON_REQUIRED', `${what} (${unit.clues}) needs a reason`, 400);
  }
  if (change.acta && toStatus !== 'HANDED_OVER') {
    throw new DomainError('ACTA_NOT_EXPECTED', `An acta is recorded only when a unit is HANDED_OVER, not ${toStatus}`, 400);
  }
  if (change.newClues !== undefined && toStatus !== 'RE_REGISTERED') {
    throw new DomainError('NEW_CLUES_NOT_EXPECTED', `newClues is given only when a unit is RE_REGISTERED, not ${toStatus}`, 400);
  }
  switch (toStatus) {
    case 'NEEDS_REGULARIZATION': {
      if (!(change.ownership ?? unit.ownership)) {
        throw new DomainError(
          'OWNERSHIP_REQUIRED',
          `Say how the state holds the property of ${unit.clues} (ownership: ${OWNERSHIPS.join(', ')}) before flagging it for regularization`,
          400,
        );
      }
      if (change.regularizationStatus === 'regularized' || change.regularizationStatus === 'not-required') {
        throw new DomainError(
          'REGULARIZATION_INCONSISTENT',
          `A unit that needs regularization cannot have regularizationStatus "${change.regularizationStatus}"; use pending or in-progress`,
          400,
        );
      }
      break;
    }
    case 'HANDED_OVER': {
      if (!change.acta) {
        throw new DomainError(
          'ACTA_REQUIRED',
          `Handing over ${unit.clues} needs its acta de entrega-recepción: acta { number, date, documentSha256? }`,
          400,
        );
      }
      const latest = new Date(today.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 10);
      if (change.acta.date > latest) {
        throw new DomainError('ACTA_DATE_IN_FUTURE', `The acta of ${unit.clues} is dated ${change.acta.date}, which is in the future`, 400);
      }
      break;
    }
    case 'RE_REGISTERED': {
      if (!change.newClues) {
        throw new DomainError(
          'NEW_CLUES_REQUIRED',
          `Re-registering ${unit.clues} needs its new CLUES (newClues), or import the re-registration file with its CLUES_SSH column`,
          400,
        );
      }
      if (change.newClues === unit.clues) {
        throw new DomainError('NEW_CLUES_UNCHANGED', `newClues ${change.newClues} is the unit's current key`, 400);
      }
      if (change.newClues.slice(0, 2) !== unit.clues.slice(0, 2)) {
        throw new DomainError(
          'NEW_CLUES_OTHER_STATE',
          `newClues ${change.newClues} belongs to another state than ${unit.clues}; a unit keeps its state when re-registered`,
          400,
        );
      }
      break;
    }
    case 'INVENTORIED':
    case 'INCLUDED':
    case 'EXCLUDED':
    case 'OPERATING':
      break;
  }
}
