import { EntityManager } from 'typeorm';
import { DomainError } from '@imb/platform';
import { StateTransfer } from './state-transfer.entity';

/**
 * Loads a state's transfer locked for the rest of the transaction. Every change to a transfer
 * or its checklist takes this lock first, so a gate check and an item closing at the same time
 * see each other's result.
 */
export async function lockTransfer(m: EntityManager, stateCode: string): Promise<StateTransfer> {
  const transfer = await m.getRepository(StateTransfer).findOne({ where: { stateCode }, lock: { mode: 'pessimistic_write' } });
  if (!transfer) throw new DomainError('STATE_NOT_FOUND', `No transfer for state ${stateCode}`, 404);
  return transfer;
}
