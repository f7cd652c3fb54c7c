import { DomainError } from '@imb/platform';

/**
 * The steps of an eligible person towards a permanent post: file (expediente integrated) →
 * psychometric evaluation → medical exam → appointment (nombramiento). A candidate's `step` is
 * the last one completed; `evaluated` means none yet. `rejected` ends the way (failed exam,
 * withdrawal) and needs a reason.
 */
export const STEPS = ['evaluated', 'file', 'psychometric', 'medical', 'appointed', 'rejected'] as const;
export type Step = (typeof STEPS)[number];
/** Steps a person can be moved to. */
export const TARGET_STEPS = ['file', 'psychometric', 'medical', 'appointed', 'rejected'] as const;
export type TargetStep = (typeof TARGET_STEPS)[number];

const PATH: Step[] = ['evaluated', 'file', 'psychometric', 'medical', 'appointed'];
const NAMES: Record<Step, string> = {
  evaluated: 'evaluated (no step yet)',
  file: 'file (expediente)',
  psychometric: 'psychometric evaluation',
  medical: 'medical exam',
  appointed: 'appointed',
  rejected: 'rejected',
};

export interface StepSubject {
  curp: string;
  eligible: boolean | null;
  failed: string[];
  step: Step;
  stepReason: string | null;
}

/** The step after `step` on the way to the appointment, or null at the end. */
export function nextStep(step: Step): Step | null {
  const i = PATH.indexOf(step);
  return i < 0 || i === PATH.length - 1 ? null : PATH[i + 1];
}

/** Throws a 409 DomainError a person can act on when `candidate` may not move to `to`. */
export function checkStepMove(candidate: StepSubject, to: TargetStep, reason?: string): void {
  const who = `CURP ${candidate.curp}`;
  if (candidate.step === 'appointed') throw new DomainError('ALREADY_APPOINTED', `${who} was already appointed to a permanent post; nothing changed`, 409);
  if (candidate.step === 'rejected') {
    throw new DomainError('CANDIDATE_REJECTED', `${who} was rejected (${candidate.stepReason ?? 'no reason given'}); the decision is final in this campaign`, 409);
  }
  if (to === 'rejected') {
    if (!reason?.trim()) throw new DomainError('REASON_REQUIRED', `Give the reason for rejecting ${who} (e.g. the failed exam)`, 400);
    return;
  }
  if (candidate.eligible !== true) {
    const why = candidate.eligible === null ? 'has not been evaluated yet: run the eligibility job' : `is not eligible: fails ${candidate.failed.join(', ')}`;
    throw new DomainError('NOT_ELIGIBLE', `${who} ${why}`, 409);
  }
  const next = nextStep(candidate.step);
  if (next !== to) {
    throw new DomainError(
      'STEP_OUT_OF_ORDER',
      `${who} is at step ${NAMES[candidate.step]}: the next step is ${next ? NAMES[next] : 'none'}, not ${NAMES[to]}`,
      409,
    );
  }
}
