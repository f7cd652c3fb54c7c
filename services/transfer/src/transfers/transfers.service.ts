import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { StageChanged, StateOperational, TransferStage, runInContext } from '@imb/contracts';
import { recordAudit } from '@imb/audit';
import { Principal, assertStateAccess } from '@imb/auth';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { ChecklistService, checklistItemView } from '../stages/checklist.service';
import { assertGateClosed, isRestart } from '../stages/gate';
import { StageDefinitionsService } from '../stages/stage-definitions.service';
import { referenceTransfers } from './joining-history';
import { lockTransfer } from './lock-transfer';
import { checkStageMove } from './stage-rules';
import { StageChange, StateTransfer } from './state-transfer.entity';

const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class TransfersService implements OnModuleInit {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly definitions: StageDefinitionsService,
    private readonly checklist: ChecklistService,
  ) {}

  /** Every state's transfer with the open items of its current gate. */
  async list() {
    const transfers = await this.dataSource.getRepository(StateTransfer).find({ order: { stateCode: 'ASC' } });
    const open: { state_code: string; open: number }[] = await this.dataSource.query(
      `SELECT c.state_code, count(*)::int AS open
         FROM checklist_item c JOIN state_transfer t
           ON t.state_code = c.state_code AND t.definition_version = c.definition_version AND t.stage = c.stage
        WHERE NOT c.done
        GROUP BY c.state_code`,
    );
    const openByState = new Map(open.map((r) => [r.state_code, r.open]));
    const now = Date.now();
    return transfers.map((t) => ({
      ...t,
      progress: {
        daysInStage: Math.max(0, Math.floor((now - t.stageSince.getTime()) / DAY_MS)),
        openGateItems: openByState.get(t.stateCode) ?? 0,
      },
    }));
  }

  /** A state's transfer: stage, history, and the checklist of its current gate. */
  async get(stateCode: string) {
    const transfer = await this.dataSource.getRepository(StateTransfer).findOneBy({ stateCode });
    if (!transfer) throw new DomainError('STATE_NOT_FOUND', `No transfer for state ${stateCode}`, 404);
    const history = await this.dataSource
      .getRepository(StageChange)
      .find({ where: { stateCode }, order: { changedAt: 'DESC' }, take: 200 });
    const items = await this.checklist.items(this.dataSource.manager, transfer);
    const checklist = items.filter((i) => i.stage === transfer.stage).map(checklistItemView);
    return { ...transfer, history, checklist };
  }

  /**
   * Moves a state's transfer to another stage: entity, history, audit record and events in one
   * transaction. Forward needs the gate closed; entering DIAGNOSIS from DECLINED or SUSPENDED
   * restarts the transfer on the newest stage definition.
   */
  async changeStage(principal: Principal, stateCode: string, toStage: TransferStage, reason?: string) {
    assertStateAccess(principal, stateCode, 'write');
    await this.dataSource.transaction(async (m) => {
      const transfer = await lockTransfer(m, stateCode);
      checkStageMove(transfer.stage, toStage, reason);
      if (isRestart(transfer.stage, toStage)) {
        const definition = await this.definitions.latest(m);
        const before = transfer.definitionVersion;
        transfer.definitionVersion = definition.version;
        await this.applyStage(m, transfer, toStage, reason ?? null, principal.sub, { definitionVersion: before });
        await this.checklist.start(m, transfer, definition, principal.sub);
        return;
      }
      assertGateClosed(transfer.stage, toStage, await this.checklist.items(m, transfer));
      await this.applyStage(m, transfer, toStage, reason ?? null, principal.sub);
    });
    return this.get(stateCode);
  }

  /**
   * Creates the 32 states' transfers from the joining history, once; safe with several instances.
   * Runs at module init, before the consumers start, so no gate event finds a state missing.
   */
  async onModuleInit(): Promise<void> {
    let created = 0;
    for (const ref of referenceTransfers()) {
      await runInContext({ correlationId: randomUUID(), actor: 'system:transfer' }, () =>
        this.dataSource.transaction(async (m) => {
          const definition = await this.definitions.latest(m);
          const inserted: unknown[] = await m.query(
            `INSERT INTO state_transfer (state_code, state_name, stage, stage_since, definition_version, joined_year)
             VALUES ($1, $2, 'DIAGNOSIS', $3, $4, $5) ON CONFLICT DO NOTHING RETURNING state_code`,
            [ref.stateCode, ref.stateName, ref.stageSince, definition.version, ref.joinedYear],
          );
          if (!inserted.length) return;
          created++;
          const transfer = await m.getRepository(StateTransfer).findOneByOrFail({ stateCode: ref.stateCode });
          const at = new Date(ref.stageSince);
          await this.applyStage(m, transfer, ref.stage, 'reference data: public joining history', 'system:transfer', { seeded: true, at });
          await this.checklist.start(m, transfer, definition, 'system:transfer', { passed: ref.stage, date: ref.stageSince.slice(0, 10) });
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
    opts: { seeded?: boolean; at?: Date; definitionVersion?: number } = {},
  ) {
    const at = opts.at ?? new Date();
    const before = { stage: transfer.stage, stageSince: transfer.stageSince, definitionVersion: opts.definitionVersion ?? transfer.definitionVersion };
    // A seeded transfer enters its stage from nowhere: its history starts there.
    const fromStage = opts.seeded ? null : transfer.stage;
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
      after: { stage: toStage, stageSince: at.toISOString(), definitionVersion: transfer.definitionVersion },
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
    if (toStage === 'OPERATION') {
      await publishEvent(m, StateOperational, { stateCode: transfer.stateCode, operationalSince: at.toISOString() });
    }
  }
}
