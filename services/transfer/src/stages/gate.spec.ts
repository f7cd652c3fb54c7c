import { DomainError } from '@imb/platform';
import { GateEntry, assertGateClosed, blockingItems, isRestart, stagesBefore } from './gate';

const item = (stage: GateEntry['stage'], itemId: string, done = false): GateEntry => ({ stage, itemId, title: `title of ${itemId}`, done });

const checklist = [
  item('DIAGNOSIS', 'units-inventory', true),
  item('AGREEMENT', 'agreement-signed', true),
  item('PUBLICATION', 'agreement-published'),
  item('ANNEXES', 'annex-units'),
  item('ANNEXES', 'annex-posts', true),
  item('HANDOVER', 'roster-reconciled'),
  item('OPERATION', 'consolidated-purchase-enrollment'),
];

function gateError(from: GateEntry['stage'], to: GateEntry['stage'], items: GateEntry[]): DomainError {
  try {
    assertGateClosed(from, to, items);
  } catch (err) {
    return err as DomainError;
  }
  throw new Error(`expected ${from} → ${to} to be refused`);
}

describe('gates', () => {
  it('lets a transfer leave a stage forward only when that stage’s items are all done', () => {
    expect(() => assertGateClosed('AGREEMENT', 'PUBLICATION', checklist)).not.toThrow();
    const err = gateError('PUBLICATION', 'ANNEXES', checklist);
    expect(err.code).toBe('GATE_OPEN');
    expect(err.httpStatus).toBe(409);
    expect(err.message).toBe('1 checklist item is still open: title of agreement-published');
    expect(err.details).toEqual({ missing: ['agreement-published'] });
  });

  it('lists exactly the open items of the gate, not those of later stages', () => {
    const open = [item('ANNEXES', 'annex-units'), item('ANNEXES', 'annex-posts', true), item('ANNEXES', 'annex-amounts'), item('HANDOVER', 'handover-actas')];
    const err = gateError('ANNEXES', 'HANDOVER', open);
    expect(err.message).toBe('2 checklist items are still open: title of annex-units; title of annex-amounts');
    expect(err.details).toEqual({ missing: ['annex-units', 'annex-amounts'] });
  });

  it('needs no gate to go back, decline, suspend or restart', () => {
    expect(blockingItems('ANNEXES', 'AGREEMENT', checklist)).toEqual([]);
    expect(blockingItems('HANDOVER', 'SUSPENDED', checklist)).toEqual([]);
    expect(blockingItems('PUBLICATION', 'DECLINED', checklist)).toEqual([]);
    expect(blockingItems('DECLINED', 'DIAGNOSIS', checklist)).toEqual([]);
  });

  it('makes a resumption from SUSPENDED pass every gate it would skip', () => {
    expect(blockingItems('SUSPENDED', 'HANDOVER', checklist).map((i) => i.itemId)).toEqual(['agreement-published', 'annex-units']);
    expect(blockingItems('SUSPENDED', 'PUBLICATION', checklist)).toEqual([]);
  });

  it('never lets the OPERATION items block anything', () => {
    const allButOperation = checklist.map((i) => (i.stage === 'OPERATION' ? i : { ...i, done: true }));
    expect(blockingItems('PAYROLL', 'OPERATION', allButOperation)).toEqual([]);
  });

  it('restarts only when entering DIAGNOSIS from off the path', () => {
    expect(isRestart('DECLINED', 'DIAGNOSIS')).toBe(true);
    expect(isRestart('SUSPENDED', 'DIAGNOSIS')).toBe(true);
    expect(isRestart('SUSPENDED', 'ANNEXES')).toBe(false);
    expect(isRestart('AGREEMENT', 'DIAGNOSIS')).toBe(false);
  });

  it('knows which gates a transfer seeded at a stage has passed', () => {
    expect(stagesBefore('HANDOVER')).toEqual(['DIAGNOSIS', 'AGREEMENT', 'PUBLICATION', 'ANNEXES']);
    expect(stagesBefore('DIAGNOSIS')).toEqual([]);
    expect(stagesBefore('DECLINED')).toEqual([]);
  });
});
