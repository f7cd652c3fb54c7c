import { ContractViolation, validatePayload } from '../../envelope';
import { AllocationComputed } from './index';

const computed = {
  programmeId: '0b6d1d9e-0c62-4a53-9a1e-2f1f0f8f8a11',
  year: 2026,
  envelope: 10_000_000,
  units: 3,
  total: 1_600_000,
  leftOut: 1,
  byTier: { T1: { units: 3, amount: 1_600_000 } },
  inputHash: 'a'.repeat(64),
  computedAt: '2026-03-01T10:00:00.000Z',
};

describe('dignification.allocation-computed.v1 byState', () => {
  it('is optional, so events published before it existed stay valid', () => {
    expect(validatePayload(AllocationComputed, computed).byState).toBeUndefined();
  });

  it('carries units and amount per state', () => {
    const byState = [
      { stateCode: '13', units: 2, amount: 1_000_000 },
      { stateCode: '20', units: 1, amount: 600_000 },
    ];
    expect(validatePayload(AllocationComputed, { ...computed, byState }).byState).toEqual(byState);
  });

  it.each([
    [{ stateCode: '33', units: 1, amount: 1 }, 'byState.0.stateCode'],
    [{ stateCode: '13', units: -1, amount: 1 }, 'byState.0.units'],
    [{ stateCode: '13', units: 1.5, amount: 1 }, 'byState.0.units'],
    [{ stateCode: '13', units: 1, amount: -5 }, 'byState.0.amount'],
  ])('refuses %j naming the field', (entry, field) => {
    expect(() => validatePayload(AllocationComputed, { ...computed, byState: [entry] })).toThrow(
      ContractViolation,
    );
    expect(() => validatePayload(AllocationComputed, { ...computed, byState: [entry] })).toThrow(field);
  });

  it('refuses a byState that is not a list', () => {
    expect(() => validatePayload(AllocationComputed, { ...computed, byState: { '13': 1 } })).toThrow(
      'byState',
    );
  });
});
