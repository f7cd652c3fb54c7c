import { DomainError } from '@imb/platform';
import { checkStepMove, nextStep, StepSubject } from './steps';

const subject = (over: Partial<StepSubject> = {}): StepSubject => ({ curp: 'GOMA800115HNTBBB05', eligible: true, failed: [], step: 'evaluated', stepReason: null, ...over });
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? { code: err.code, status: err.httpStatus, message: err.message } : err;
  }
  return null;
};

describe('formalization steps', () => {
  it('goes file → psychometric → medical → appointed, one step at a time', () => {
    expect(nextStep('evaluated')).toBe('file');
    expect(nextStep('file')).toBe('psychometric');
    expect(nextStep('psychometric')).toBe('medical');
    expect(nextStep('medical')).toBe('appointed');
    expect(nextStep('appointed')).toBeNull();
    expect(refusal(() => checkStepMove(subject(), 'file'))).toBeNull();
    expect(refusal(() => checkStepMove(subject({ step: 'medical' }), 'appointed'))).toBeNull();
  });

  it('refuses a skipped or repeated step with 409 and says which step comes next', () => {
    expect(refusal(() => checkStepMove(subject(), 'medical'))).toEqual({
      code: 'STEP_OUT_OF_ORDER',
      status: 409,
      message: 'CURP GOMA800115HNTBBB05 is at step evaluated (no step yet): the next step is file (expediente), not medical exam',
    });
    expect(refusal(() => checkStepMove(subject({ step: 'file' }), 'file'))).toMatchObject({ code: 'STEP_OUT_OF_ORDER', status: 409 });
  });

  it('refuses people who are not eligible, already appointed or rejected', () => {
    expect(refusal(() => checkStepMove(subject({ eligible: false, failed: ['seniority', 'not-barred'] }), 'file'))).toEqual({
      code: 'NOT_ELIGIBLE',
      status: 409,
      message: 'CURP GOMA800115HNTBBB05 is not eligible: fails seniority, not-barred',
    });
    expect(refusal(() => checkStepMove(subject({ eligible: null }), 'file'))).toMatchObject({ code: 'NOT_ELIGIBLE' });
    expect(refusal(() => checkStepMove(subject({ step: 'appointed' }), 'rejected', 'x'))).toMatchObject({ code: 'ALREADY_APPOINTED', status: 409 });
    expect(refusal(() => checkStepMove(subject({ step: 'rejected', stepReason: 'failed the medical exam' }), 'file'))).toMatchObject({
      code: 'CANDIDATE_REJECTED',
      message: expect.stringContaining('failed the medical exam'),
    });
  });

  it('rejects from any open step, with a reason', () => {
    expect(refusal(() => checkStepMove(subject({ step: 'psychometric' }), 'rejected', 'failed the medical exam'))).toBeNull();
    expect(refusal(() => checkStepMove(subject({ eligible: false, failed: ['seniority'] }), 'rejected', 'withdrew'))).toBeNull();
    expect(refusal(() => checkStepMove(subject(), 'rejected', ' '))).toMatchObject({ code: 'REASON_REQUIRED', status: 400 });
  });
});
