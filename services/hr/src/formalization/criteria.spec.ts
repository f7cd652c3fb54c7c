import { CandidateFacts, CRITERION_IDS, DEFAULT_RULES, evaluateCandidate, monthsBetween } from './criteria';

const CUTOFF = '2026-01-31';
/** A person who meets every criterion; each case below changes one fact. */
const good: CandidateFacts = {
  contractType: 'eventual',
  startsOn: '2024-03-01',
  endsOn: null,
  firstStartsOn: '2024-03-01',
  stateStage: 'HANDOVER',
  unitStatus: null,
  unitStatusReason: null,
  clues: 'NTIMB000001',
  postCode: 'M01006',
  branch: 'medica',
  profession: 'MÉDICO CIRUJANO',
  licence: '1234567',
  evaluation: { score: 85, trainingHours: 40 },
  permanentPost: null,
  barred: null,
};

const failedBy = (over: Partial<CandidateFacts>, rules = DEFAULT_RULES) =>
  evaluateCandidate({ ...good, ...over }, CUTOFF, rules)
    .filter((o) => !o.pass)
    .map((o) => [o.criterion, o.reason]);

describe('formalization criteria', () => {
  it('passes every criterion for a person who meets them all, in the published order', () => {
    const outcomes = evaluateCandidate(good, CUTOFF, DEFAULT_RULES);
    expect(outcomes.map((o) => o.criterion)).toEqual(CRITERION_IDS);
    expect(outcomes.every((o) => o.pass)).toBe(true);
    expect(outcomes[2].reason).toBe('22 months from 2024-03-01 (first contract) to the cut-off date 2026-01-31; at least 6 required');
  });

  it('1 — eventual or temporary contract, in force at the cut-off date', () => {
    expect(failedBy({ contractType: 'temporal' })).toEqual([]);
    expect(failedBy({ contractType: 'honorarios' })).toEqual([['contract-type', 'honorarios contract: only eventual or temporary (temporal) contracts qualify']]);
    expect(failedBy({ contractType: 'base' })).toEqual([['contract-type', 'base contract: only eventual or temporary (temporal) contracts qualify']]);
    expect(failedBy({ startsOn: '2026-02-01' })).toEqual([['contract-type', 'the eventual contract starts on 2026-02-01, after the cut-off date 2026-01-31']]);
    expect(failedBy({ endsOn: '2026-01-30' })).toEqual([['contract-type', 'the eventual contract ended on 2026-01-30, before the cut-off date 2026-01-31']]);
    expect(failedBy({ endsOn: CUTOFF })).toEqual([]);
  });

  it('2 — works in a transferable unit: a joined state, a unit not excluded', () => {
    expect(failedBy({ stateStage: 'OPERATION', unitStatus: 'NEEDS_REGULARIZATION' })).toEqual([]);
    expect(failedBy({ stateStage: 'DIAGNOSIS' })).toEqual([['transferable-unit', 'unit NTIMB000001: its state has not joined IMSS-BIENESTAR (transfer stage DIAGNOSIS)']]);
    expect(failedBy({ stateStage: 'DECLINED' })[0][0]).toBe('transferable-unit');
    expect(failedBy({ stateStage: null })).toEqual([['transferable-unit', 'unit NTIMB000001: the platform has no transfer record of its state']]);
    expect(failedBy({ unitStatus: 'EXCLUDED', unitStatusReason: 'private property' })).toEqual([
      ['transferable-unit', 'unit NTIMB000001 was excluded from the transfer (private property)'],
    ]);
  });

  it('3 — seniority of at least the campaign’s months, counted from the first contract', () => {
    expect(failedBy({ startsOn: '2025-07-31', firstStartsOn: '2025-07-31' })).toEqual([]);
    expect(failedBy({ startsOn: '2025-08-01', firstStartsOn: '2025-08-01' })).toEqual([
      ['seniority', '5 months from 2025-08-01 (first contract) to the cut-off date 2026-01-31; at least 6 required'],
    ]);
    // An earlier contract of the same person counts.
    expect(failedBy({ startsOn: '2025-12-01', firstStartsOn: '2023-01-10' })).toEqual([]);
    expect(failedBy({}, { ...DEFAULT_RULES, minSeniorityMonths: 24 })).toEqual([
      ['seniority', '22 months from 2024-03-01 (first contract) to the cut-off date 2026-01-31; at least 24 required'],
    ]);
  });

  it('4 — profile fits the post code: a profession of the branch and a licence', () => {
    expect(failedBy({ postCode: 'M02001', branch: 'enfermeria', profession: 'Licenciada en Enfermería' })).toEqual([]);
    expect(failedBy({ postCode: 'M02001', branch: 'enfermeria', profession: 'MEDICO GENERAL' })).toEqual([
      ['profile', 'profession "MEDICO GENERAL" does not fit post M02001 of the enfermeria branch'],
    ]);
    expect(failedBy({ profession: null })).toEqual([['profile', 'post M01006 (medica) needs a profession of the branch; none is recorded']]);
    expect(failedBy({ licence: null })).toEqual([['profile', 'post M01006 (medica) needs a professional licence (cédula); none is recorded']]);
    expect(failedBy({ postCode: 'M03006', branch: 'paramedica', profession: 'TECNICO RADIOLOGO' })).toEqual([]);
    expect(failedBy({ postCode: 'A01806', branch: 'afin', profession: null, licence: null })).toEqual([]);
  });

  it('5 — performance and training at or above the thresholds', () => {
    expect(failedBy({ evaluation: { score: 70, trainingHours: 20 } })).toEqual([]);
    expect(failedBy({ evaluation: { score: 69.5, trainingHours: 40 } })).toEqual([
      ['performance-training', 'performance 69.5 points, 40 training hours; at least 70 points and 20 training hours required'],
    ]);
    expect(failedBy({ evaluation: { score: 90, trainingHours: 10 } })[0][0]).toBe('performance-training');
    expect(failedBy({ evaluation: null })).toEqual([['performance-training', "no entry in the campaign's performance and training list"]]);
  });

  it('6 — no permanent post at IMSS or ISSSTE; 7 — not barred from public service', () => {
    expect(failedBy({ permanentPost: { row: 12, detail: 'ISSSTE' } })).toEqual([['no-permanent-post', 'holds a permanent post at IMSS or ISSSTE (list row 12: ISSSTE)']]);
    expect(failedBy({ barred: { row: 3, detail: null } })).toEqual([['not-barred', 'barred from public service (list row 3)']]);
  });

  it('reports every failing criterion, not only the first', () => {
    expect(failedBy({ contractType: 'honorarios', barred: { row: 1, detail: 'inhabilitación 5 años' }, evaluation: null }).map(([c]) => c)).toEqual([
      'contract-type',
      'performance-training',
      'not-barred',
    ]);
  });

  it('counts whole months between dates', () => {
    expect(monthsBetween('2025-07-31', '2026-01-31')).toBe(6);
    expect(monthsBetween('2025-08-01', '2026-01-31')).toBe(5);
    expect(monthsBetween('2024-02-29', '2025-02-28')).toBe(11);
    expect(monthsBetween('2026-03-15', '2026-01-31')).toBe(-1);
  });
});
