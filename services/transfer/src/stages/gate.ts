import { OFF_PATH_STAGES, TRANSFER_STAGES, TransferStage } from '@imb/contracts';
import { DomainError } from '@imb/platform';

/** The parts of a checklist item the gate rules look at. */
export interface GateEntry {
  itemId: string;
  stage: TransferStage;
  title: string;
  done: boolean;
}

const order = (s: TransferStage) => (TRANSFER_STAGES as readonly string[]).indexOf(s);
const offPath = (s: TransferStage) => (OFF_PATH_STAGES as readonly string[]).includes(s);

/**
 * The open items that stop a move from `from` to `to`. Entering a stage on the path needs the
 * gates of every stage before it closed: for a move forward that is the current stage's gate
 * (earlier gates were closed to get here, and items never reopen on a running transfer); for a
 * resumption from SUSPENDED or DECLINED straight into a later stage it is every gate it would
 * skip. Going back, declining, suspending and restarting at DIAGNOSIS pass no gate.
 */
export function blockingItems<T extends GateEntry>(from: TransferStage, to: TransferStage, items: T[]): T[] {
  if (offPath(to)) return [];
  if (!offPath(from) && order(to) <= order(from)) return [];
  return items.filter((i) => !i.done && !offPath(i.stage) && order(i.stage) < order(to));
}

/** Throws GATE_OPEN (409) naming each open item, unless the move may go ahead. */
export function assertGateClosed(from: TransferStage, to: TransferStage, items: GateEntry[]): void {
  const open = blockingItems(from, to, items);
  if (!open.length) return;
  const count = open.length === 1 ? '1 checklist item is' : `${open.length} checklist items are`;
  throw new DomainError('GATE_OPEN', `${count} still open: ${open.map((i) => i.title).join('; ')}`, 409, {
    missing: open.map((i) => i.itemId),
  });
}

/** True when entering `to` from `from` starts the transfer over on the newest definition version. */
export function isRestart(from: TransferStage, to: TransferStage): boolean {
  return offPath(from) && to === 'DIAGNOSIS';
}

/** The stages strictly before `stage` on the path (whose gates a transfer seeded at `stage` has passed). */
export function stagesBefore(stage: TransferStage): TransferStage[] {
  return offPath(stage) ? [] : TRANSFER_STAGES.slice(0, order(stage));
}
