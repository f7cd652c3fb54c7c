import { OFF_PATH_STAGES, TRANSFER_STAGES, TransferStage } from '@imb/contracts';
import { DomainError } from '@imb/platform';

const order = (s: TransferStage) => (TRANSFER_STAGES as readonly string[]).indexOf(s);
const offPath = (s: TransferStage) => (OFF_PATH_STAGES as readonly string[]).includes(s);

/**
 * Which moves are allowed: forward one stage at a time; back any number of stages with a reason;
 * to DECLINED or SUSPENDED with a reason; from those back onto the path with a reason.
 * (Gate checklists that must be closed before moving forward come with the stage machine.)
 */
export function checkStageMove(from: TransferStage, to: TransferStage, reason: string | undefined): void {
  if (from === to) throw new DomainError('SAME_STAGE', `The transfer is already in ${to}`, 409);
  const needsReason = offPath(to) || offPath(from) || order(to) < order(from);
  if (needsReason && !reason) {
    throw new DomainError('REASON_REQUIRED', `Moving from ${from} to ${to} needs a reason`, 400);
  }
  if (!offPath(from) && !offPath(to) && order(to) > order(from) + 1) {
    const next = TRANSFER_STAGES[order(from) + 1];
    throw new DomainError('STAGE_SKIPPED', `From ${from} the next stage is ${next}; ${to} cannot be reached directly`, 409);
  }
}
