import { DomainError } from '@imb/platform';
import { checkUnitStatusChange, UNIT_MOVES, UnitForMove, UnitStatusChange } from './unit-lifecycle';

const unit = (status: UnitForMove['status'], ownership: UnitForMove['ownership'] = 'propio'): UnitForMove => ({ clues: 'HGSSA000016', status, ownership });
const refusal = (u: UnitForMove, change: UnitStatusChange): DomainError | undefined => {
  try {
    checkUnitStatusChange(u, change, new Date('2025-01-15T12:00:00Z'));
    return undefined;
  } catch (err) {
    return err as DomainError;
  }
};
const acta = { number: 'ER-13-0001', date: '2024-07-18' };

describe('unit lifecycle', () => {
  it('goes inventoried → included → handed over → re-registered → operating', () => {
    expect(refusal(unit('INVENTORIED'), { toStatus: 'INCLUDED' })).toBeUndefined();
    expect(refusal(unit('INCLUDED'), { toStatus: 'HANDED_OVER', acta })).toBeUndefined();
    expect(refusal(unit('HANDED_OVER'), { toStatus: 'RE_REGISTERED', newClues: 'HGIMB000011' })).toBeUndefined();
    expect(refusal(unit('RE_REGISTERED'), { toStatus: 'OPERATING' })).toBeUndefined();
  });

  it('answers 409 naming the allowed moves when a step is skipped or the unit is at the end', () => {
    const skipped = refusal(unit('INVENTORIED'), { toStatus: 'HANDED_OVER', acta })!;
    expect(skipped.httpStatus).toBe(409);
    expect(skipped.message).toBe('Unit HGSSA000016 is INVENTORIED: it can only go to INCLUDED, EXCLUDED or NEEDS_REGULARIZATION, not HANDED_OVER');
    expect(refusal(unit('OPERATING'), { toStatus: 'INCLUDED' })!.message).toMatch(/end of its lifecycle/);
    expect(refusal(unit('INCLUDED'), { toStatus: 'INCLUDED' })!.code).toBe('UNIT_ALREADY_IN_STATUS');
    for (const [from, tos] of Object.entries(UNIT_MOVES)) expect(tos).not.toContain(from);
  });

  it('needs a reason to exclude and to bring an excluded unit back', () => {
    expect(refusal(unit('INVENTORIED'), { toStatus: 'EXCLUDED' })!.code).toBe('REASON_REQUIRED');
    expect(refusal(unit('INVENTORIED'), { toStatus: 'EXCLUDED', reason: 'unit closed in 2019' })).toBeUndefined();
    expect(refusal(unit('EXCLUDED'), { toStatus: 'INCLUDED' })!.code).toBe('REASON_REQUIRED');
  });

  it('flags regularization only with a known ownership and an open regularization status', () => {
    expect(refusal(unit('INVENTORIED', null), { toStatus: 'NEEDS_REGULARIZATION' })!.code).toBe('OWNERSHIP_REQUIRED');
    expect(refusal(unit('INVENTORIED', null), { toStatus: 'NEEDS_REGULARIZATION', ownership: 'posesion-ejido' })).toBeUndefined();
    expect(refusal(unit('INVENTORIED'), { toStatus: 'NEEDS_REGULARIZATION', regularizationStatus: 'regularized' })!.code).toBe('REGULARIZATION_INCONSISTENT');
    // Regularization has no deadline and does not block the handover.
    expect(refusal(unit('NEEDS_REGULARIZATION'), { toStatus: 'HANDED_OVER', acta })).toBeUndefined();
  });

  it('hands over only with an acta that is not dated in the future', () => {
    expect(refusal(unit('INCLUDED'), { toStatus: 'HANDED_OVER' })!.code).toBe('ACTA_REQUIRED');
    expect(refusal(unit('INCLUDED'), { toStatus: 'HANDED_OVER', acta: { ...acta, date: '2025-03-01' } })!.code).toBe('ACTA_DATE_IN_FUTURE');
    expect(refusal(unit('INVENTORIED'), { toStatus: 'INCLUDED', acta })!.code).toBe('ACTA_NOT_EXPECTED');
  });

  it('re-registers only with a new key of the same state', () => {
    expect(refusal(unit('HANDED_OVER'), { toStatus: 'RE_REGISTERED' })!.code).toBe('NEW_CLUES_REQUIRED');
    expect(refusal(unit('HANDED_OVER'), { toStatus: 'RE_REGISTERED', newClues: 'NTIMB000011' })!.code).toBe('NEW_CLUES_OTHER_STATE');
    expect(refusal(unit('HANDED_OVER'), { toStatus: 'RE_REGISTERED', newClues: 'HGSSA000016' })!.code).toBe('NEW_CLUES_UNCHANGED');
    expect(refusal(unit('INCLUDED'), { toStatus: 'EXCLUDED', reason: 'closed down', newClues: 'HGIMB000011' })!.code).toBe('NEW_CLUES_NOT_EXPECTED');
  });
});
