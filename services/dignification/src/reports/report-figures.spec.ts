import { figures, national, toCsv } from './report-figures';

const row = (stateCode: string, allocated: number, disbursed: number, flaggedEvidence = 0) => ({
  stateCode,
  unitsFunded: 2,
  allocated,
  disbursed,
  unitsFullyPaid: disbursed === allocated ? 2 : 0,
  evidence: 3,
  flaggedEvidence,
  projectsCompleted: 1,
});

describe('report figures', () => {
  it('takes the national percentage of the sums, not the average of the states’ percentages', () => {
    const rows = [row('13', 1_000_000, 1_000_000), row('20', 3_000_000, 0, 1)];
    expect(figures(rows[0]).deliveredPercent).toBe(100);
    expect(national(rows)).toMatchObject({ unitsFunded: 4, allocated: 4_000_000, disbursed: 1_000_000, deliveredPercent: 25, flaggedEvidence: 1, projectsCompleted: 2, completedPercent: 50 });
    expect(national([])).toMatchObject({ deliveredPercent: 0, unitsFunded: 0 });
  });
  it('exports CSV with a national line', () => {
    const rows = [row('13', 1_000_000, 333_333)];
    const csv = toCsv(rows.map((r) => ({ stateCode: r.stateCode, ...figures(r) })), national(rows));
    expect(csv.split('\n')).toEqual([
      'stateCode,unitsFunded,allocated,disbursed,deliveredPercent,unitsFullyPaid,projectsCompleted,completedPercent,evidence,flaggedEvidence',
      '13,2,1000000,333333,33.3,0,1,50,3,0',
      'NACIONAL,2,1000000,333333,33.3,0,1,50,3,0',
      '',
    ]);
  });
});
