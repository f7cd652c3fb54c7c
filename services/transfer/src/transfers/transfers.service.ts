import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { StageChanged, TransferStage, runInContext } from '@imb/contracts';
import { recordAudit } from '@imb/audit';
import { Principal, assertStateAccess } from '@imb/auth';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { referenceTransfers } from './joining-history';
import { checkStageMove } from './stage-rules';
import { StageChange, StateTransfer } from './state-transfer.entity';

/** Version of the stage definitions new transfers start on (versioned definitions come with the stage machine). */
export const CURRENT_DEFINITION_VERSION = 1;

@Injectable()
export class TransfersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TransfersService.name);

  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<StateTransfer[]> {
    return this.dataSource.getRepository(StateTransfer).find({ order: { stateCode: 'ASC' } });
  }

  async get(stateCode: string) {
    const transfer = await this.dataSource.getRepository(StateTransfer).findOneBy({ stateCode });
    if (!transfer) throw new DomainError('STATE_NOT_FOUND', `No transfer for state ${stateCode}`, 404);
    const history = await this.dataSource
      .getRepository(StageChange)
      .find({ where: { stateCode }, order: { changedAt: 'DESC' }, take: 200 });
    return { ...transfer, history };
  }

  /** Moves a state's transfer to another stage: entity, history, audit record and event in one transaction. */
  async changeStage(principal: Principal, stateCode: string, toStage: TransferStage, reason?: string) {
    assertStateAccess(principal, stateCode, 'write');
    return this.dataSource.transaction(async (m) => {
      const transfer = await m.getRepository(StateTransfer).findOne({ where: { stateCode }, lock: { mode: 'pessimistic_write' } });
      if (!transfer) throw new DomainError('STATE_NOT_FOUND', `No transfer for state ${stateCode}`, 404);
      checkStageMove(transfer.stage, toStage, reason);
      return this.applyStage(m, transfer, toStage, reason ?? null, principal.sub);
    });
  }

  /** Creates the 32 states' transfers from the joining history, once; safe with several instances. */
  async onApplicationBootstrap(): Promise<void> {
    let created = 0;
    for (const ref of referenceTransfers()) {
      await runInContext({ correlationId: randomUUID(), actor: 'system:transfer' }, () =>
        this.dataSource.transaction(async (m) => {
          const inserted: unknown[] = await m.query(
            `INSERT INTO state_transfer (state_code, state_name, stage, stage_since, definition_version, joined_year)
             VALUES ($1, $2, 'DIAGNOSIS', $3, $4, $5) ON CONFLICT DO NOTHING RETURNING state_code`,
            [ref.stateCode, ref.stateName, ref.stageSince, CURRENT_DEFINITION_VERSION, ref.joinedYear],
          );
          if (!inserted.length) return;
          created++;
          const transfer = await m.getRepository(StateTransfer).findOneByOrFail({ stateCode: ref.stateCode });
          await this.applyStage(m, transfer, ref.stage, 'reference data: public joining history', 'system:transfer', null, new Date(ref.stageSince));
        }),
      );
    }
    if (created) this.logger.log(`seeded ${created} state transfers from the joining history`);
  }

  private async applyStage(
    m: EntityManager,
    transfer: StateTransfer,
    toStage: TransferStage,
    reason: string | null,
    actor: string,
    fromOverride?: TransferStage | null,
    at = new Date(),
  ) {
    const before = { stage: transfer.stage, stageSince: transfer.stageSince };
    const fromStage = fromOverride === undefined ? transfer.stage : fromOverride;
    transfer.stage = toStage;
    transfer.stageSince = at;
    await m.getRepository(StateTransfer).save(transfer);
    await m.getRepository(StageChange).insert({
      id: randomUUID(),
      stateCode: transfer.stateCode,
      fromStage,
      toStage,
      reason,
      actor,
      changedAt: at,
    });
    await recordAudit(m, {
      action: 'transfer.stage-changed',
      entity: 'StateTransfer',
      entityId: transfer.stateCode,
      stateCode: transfer.stateCode,
      before: fromStage === null ? null : before,
      after: { stage: toStage, stageSince: at.toISOString() },
      reason: reason ?? undefined,
      actor,
    });
    await publishEvent(m, StageChanged, {
      stateCode: transfer.stateCode,
      fromStage,
      toStage,
      reason: reason ?? undefined,
      definitionVersion: transfer.definitionVersion,
      changedAt: at.toISOString(),
    });
    return transfer;
  }
}
