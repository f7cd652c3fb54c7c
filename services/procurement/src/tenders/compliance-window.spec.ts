import { complianceWindow } from './compliance-window';

describe('complianceWindow', () => {
  it('is the whole months before the month of the evaluation', () => {
    expect(complianceWindow('2027-03-15', 6)).toEqual({ from: '2026-09-01', to: '2027-03-01', label: '2026-09 to 2027-02' });
    expect(complianceWindow('2027-01-01', 6)).toEqual({ from: '2026-07-01', to: '2027-01-01', label: '2026-07 to 2026-12' });
    expect(complianceWindow('2027-12-31', 1)).toEqual({ from: '2027-11-01', to: '2027-12-01', label: '2027-11 to 2027-11' });
  });

  it('refuses a date that is not one', () => {
    expect(() => complianceWindow('2027-13-01', 6)).toThrow(RangeError);
  });
});
