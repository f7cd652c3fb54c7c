import { checkStageMove } from './stage-rules';

describe('stage moves', () => {
  it('goes forward one stage at a time without a reason', () => {
    expect(() => checkStageMove('DIAGNOSIS', 'AGREEMENT', undefined)).not.toThrow();
    expect(() => checkStageMove('DIAGNOSIS', 'PUBLICATION', undefined)).toThrow(/next stage is AGREEMENT/);
  });
  it('goes back, declines or suspends only with a reason', () => {
    expect(() => checkStageMove('ANNEXES', 'AGREEMENT', undefined)).toThrow(/needs a reason/);
    expect(() => checkStageMove('ANNEXES', 'AGREEMENT', 'annex signatures missing')).not.toThrow();
    expect(() => checkStageMove('AGREEMENT', 'SUSPENDED', undefined)).toThrow(/needs a reason/);
    expect(() => checkStageMove('SUSPENDED', 'HANDOVER', 'resumed after elections')).not.toThrow();
  });
  it('refuses a move to the current stage', () => {
    expect(() => checkStageMove('PAYROLL', 'PAYROLL', 'x')).toThrow(/already in PAYROLL/);
  });
});
