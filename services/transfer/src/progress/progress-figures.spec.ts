import { validatePayload, TransferProgressUpdated } from '@imb/contracts';
import {
  nationalTotals,
  percentOf,
  progressEventPayload,
  progressSnapshot,
  stateProgress,
  unitFigures,
  wholeDaysBetween,
} from './progress-figures';
import { progressQuery } from './progress.query';

describe('percentOf', () => {
  it('rounds down to one decimal so that 100 means all', () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.6);
    expect(percentOf(29, 100)).toBe(29);
    expect(percentOf(1999, 2000)).toBe(99.9);
    expect(percentOf(2000, 2000)).toBe(100);
  });
  it('is 0 when there is nothing to count', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(0, 7)).toBe(0);
  });
});

describe('wholeDaysBetween', () => {
  it('counts whole 24-hour periods', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    expect(wholeDaysBetween(since, new Date('2026-01-01T23:59:59Z'))).toBe(0);
    expect(wholeDaysBetween(since, new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(wholeDaysBetween(since, new Date('2027-01-01T12:00:00Z'))).toBe(365);
    expect(wholeDaysBetween(new Date('2026-02-01T00:00:00Z'), since)).toBe(0);
  });
});

describe('unitFigures', () => {
  it('lists every status, and takes percentages over the units not excluded', () => {
    const figures = unitFigures({ INVENTORIED: 2, INCLUDED: 1, EXCLUDED: 5, NEEDS_REGULARIZATION: 1, HANDED_OVER: 2, RE_REGISTERED: 1, OPERATING: 1 });
    expect(figures).toEqual({
      unitsTotal: 13,
      unitsByStatus: { INVENTORIED: 2, INCLUDED: 1, EXCLUDED: 5, NEEDS_REGULARIZATION: 1, HANDED_OVER: 2, RE_REGISTERED: 1, OPERATING: 1 },
      includedUnits: 8,
      // handed over at any later step: 2 + 1 + 1 of 8
      handedOverPercent: 50,
      // re-registered or operating: 2 of 8
      reRegisteredPercent: 25,
    });
  });
  it('is all zeros without units, and zero percent when every unit is excluded', () => {
    expect(unitFigures({})).toMatchObject({ unitsTotal: 0, includedUnits: 0, handedOverPercent: 0, reRegisteredPercent: 0 });
    expect(unitFigures({}).unitsByStatus.OPERATING).toBe(0);
    expect(unitFigures({ EXCLUDED: 4 })).toMatchObject({ unitsTotal: 4, includedUnits: 0, handedOverPercent: 0 });
  });
});

const row = (stateCode: string, stage: 'HANDOVER' | 'OPERATION', unitsByStatus: Record<string, number>, openGateItems = 0) => ({
  stateCode,
  stateName: `State ${stateCode}`,
  stage,
  stageSince: new Date('2026-01-01T00:00:00Z'),
  unitsByStatus,
  openGateItems,
  computedAt: new Date('2026-01-11T06:00:00Z'),
});

describe('stateProgress and the event', () => {
  it('computes a state’s figures and an event payload that passes the contract', () => {
    const progress = stateProgress(row('31', 'HANDOVER', { INCLUDED: 3, HANDED_OVER: 1 }, 2));
    expect(progress).toMatchObject({ stateCode: '31', daysInStage: 10, unitsTotal: 4, handedOverPercent: 25, openGateItems: 2 });
    const payload = progressEventPayload(progress);
    expect(() => validatePayload(TransferProgressUpdated, payload)).not.toThrow();
    expect(payload.computedAt).toBe('2026-01-11T06:00:00.000Z');
    expect(progressSnapshot(progress)).not.toHaveProperty('computedAt');
    expect(progressSnapshot(progress)).not.toHaveProperty('stateName');
  });
});

describe('nationalTotals', () => {
  it('sums units and takes percentages of the sums, not averages of the states’ percentages', () => {
    const states = [
      stateProgress(row('13', 'OPERATION', { OPERATING: 9, EXCLUDED: 1 })),
      stateProgress(row('31', 'HANDOVER', { INCLUDED: 1 }, 3)),
      stateProgress(row('01', 'OPERATION', {})),
    ];
    const totals = nationalTotals(states);
    expect(totals).toMatchObject({
      states: 3,
      statesByStage: { OPERATION: 2, HANDOVER: 1 },
      unitsTotal: 11,
      includedUnits: 10,
      handedOverPercent: 90, // averaging the states would give (100 + 0 + 0) / 3
      reRegisteredPercent: 90,
      openGateItems: 3,
    });
    expect(totals.unitsByStatus).toMatchObject({ OPERATING: 9, EXCLUDED: 1, INCLUDED: 1, HANDED_OVER: 0 });
  });
});

describe('progressQuery', () => {
  it('reads the unit and checklist tables only when they exist', () => {
    const both = progressQuery({ units: true, checklist: true }, false);
    expect(both).toMatch(/FROM unit /);
    expect(both).toMatch(/FROM checklist_item c/);
    expect(both).not.toMatch(/\$1/);
    const neither = progressQuery({ units: false, checklist: false }, true);
    expect(neither).not.toMatch(/\bunit\b(?!s)/);
    expect(neither).not.toMatch(/checklist_item/);
    expect(neither).toMatch(/WHERE t\.state_code = \$1/);
  });
});
