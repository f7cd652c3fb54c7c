import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChecklistItemCompleted, ChecklistItemCompletedV1, CloudEvent, EvidenceV1, TransferStage } from '@imb/contracts';
import { recordAudit } from '@imb/audit';
import { Principal, assertStateAccess } from '@imb/auth';
import { publishEvents } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { StoredDocuments } from '../documents/stored-documents';
import { StateTransfer } from '../transfers/state-transfer.entity';
import { lockTransfer } from '../transfers/lock-transfer';
import { ChecklistItem } from './checklist-item.entity';
import { stagesBefore } from './gate';
import { StageDefinition } from './stage-definition.entity';

/** Who closes the items a seeded transfer had passed before the platform existed. */
export const REFERENCE_DATA_ACTOR = 'system:reference-data';

/** A checklist item as the API shows it. */
export function checklistItemView(i: ChecklistItem) {
  return {
    id: i.itemId,
    title: i.title,
    source: i.source,
    ...(i.eventType ? { eventType: i.eventType } : {}),
    done: i.done,
    doneBy: i.doneBy,
    doneAt: i.doneAt,
    evidence: i.evidence,
    note: i.note,
  };
}

@Injectable()
export class ChecklistService {
  private readonly logger = new Logger(ChecklistService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: StoredDocuments,
  ) {}

  /** Every item of the transfer's definition version, stage by stage in definition order. */
  items(m: EntityManager, transfer: StateTransfer): Promise<ChecklistItem[]> {
    return m.getRepository(ChecklistItem).find({
      where: { stateCode: transfer.stateCode, definitionVersion: transfer.definitionVersion },
      order: { position: 'ASC' },
    });
  }

  /**
   * Instantiates the checklist of every stage when a transfer (re)starts on `definition`. Items of
   * the stages before `reference.passed` are closed from reference data (seeded states). A restart
   * on the version the state already ran reopens its items: their earlier closures stay in the
   * audit trail, and the restart's audit record lists them.
   */
  async start(
    m: EntityManager,
    transfer: StateTransfer,
    definition: StageDefinition,
    actor: string,
    reference?: { passed: TransferStage; date: string },
  ): Promise<void> {
    const key = { stateCode: transfer.stateCode, definitionVersion: definition.version };
    const reopened = await m.getRepository(ChecklistItem).find({ where: { ...key, done: true }, order: { position: 'ASC' } });
    await m.getRepository(ChecklistItem).delete(key);

    const passed = reference ? stagesBefore(reference.passed) : [];
    const doneAt = reference ? new Date(`${reference.date}T00:00:00.000Z`) : null;
    const evidence: EvidenceV1 | null = reference ? { reference: 'public joining history', date: reference.date } : null;
    let position = 0;
    const items = definition.definition.stages.flatMap(({ stage, gate }) =>
      gate.map((g) => {
        const done = passed.includes(stage);
        return m.getRepository(ChecklistItem).create({
          ...key,
          stage,
          itemId: g.id,
          position: position++,
          title: g.title,
          source: g.source,
          eventType: g.eventType ?? null,
          done,
          doneBy: done ? REFERENCE_DATA_ACTOR : null,
          doneAt: done ? doneAt : null,
          evidence: done ? evidence : null,
          note: null,
        });
      }),
    );
    if (items.length) await m.getRepository(ChecklistItem).insert(items);

    const closed = items.filter((i) => i.done);
    await recordAudit(m, {
      action: 'transfer.checklist-started',
      entity: 'StateTransfer',
      entityId: transfer.stateCode,
      stateCode: transfer.stateCode,
      before: reopened.length ? { reopened: reopened.map((i) => ({ ...checklistItemView(i), stage: i.stage })) } : null,
      after: {
        definitionVersion: definition.version,
        items: items.map((i) => i.itemId),
        closedFromReferenceData: closed.map((i) => i.itemId),
      },
      actor,
    });
    await publishEvents(m, ChecklistItemCompleted, closed.map(completedPayload));
  }

  /** Closes a manual item of the state's current gate with the evidence a person gives. */
  async closeManual(
    principal: Principal,
    stateCode: string,
    itemId: string,
    evidence: EvidenceV1,
    note: string | undefined,
  ): Promise<ReturnType<typeof checklistItemView>> {
    assertStateAccess(principal, stateCode, 'write');
    return this.dataSource.transaction(async (m) => {
      const transfer = await lockTransfer(m, stateCode);
      const item = await m.getRepository(ChecklistItem).findOneBy({ stateCode, definitionVersion: transfer.definitionVersion, itemId });
      if (!item) {
        const current = (await this.items(m, transfer)).filter((i) => i.stage === transfer.stage).map((i) => i.itemId);
        throw new DomainError(
          'ITEM_NOT_FOUND',
          `Stage definition version ${transfer.definitionVersion} has no checklist item "${itemId}"; the ${transfer.stage} gate has: ${current.join(', ') || 'no items'}`,
          404,
        );
      }
      if (item.stage !== transfer.stage) {
        throw new DomainError(
          'ITEM_NOT_IN_CURRENT_STAGE',
          `"${item.title}" belongs to the ${item.stage} gate, but state ${stateCode} is in ${transfer.stage}: only the current gate's items can be closed`,
          409,
        );
      }
      if (item.source === 'event') {
        throw new DomainError('ITEM_CLOSED_BY_EVENT', `"${item.title}" is closed by the event ${item.eventType}, not by hand`, 409);
      }
      if (item.done) {
        throw new DomainError(
          'ITEM_ALREADY_DONE',
          `"${item.title}" was already closed by ${item.doneBy} on ${item.doneAt?.toISOString()}`,
          409,
        );
      }
      // The evidence must be one of this state's documents, not merely a hash someone uploaded.
      if (evidence.documentSha256) await this.documents.assertStored(m, stateCode, evidence.documentSha256, 'evidence.documentSha256');
      const closed = await this.close(m, item, principal.sub, evidence, note ?? null);
      return checklistItemView(closed);
    });
  }

  /**
   * Closes the state's open items waiting for this event type, in whatever stage they are. Runs in
   * the consumer's transaction; an item already closed (or a state with none waiting) is a no-op.
   */
  async closeByEvent(m: EntityManager, event: CloudEvent): Promise<void> {
    const { stateCode } = event.data as { stateCode: string };
    const transfer = await lockTransfer(m, stateCode);
    const open = await m.getRepository(ChecklistItem).find({
      where: { stateCode, definitionVersion: transfer.definitionVersion, eventType: event.type, done: false },
      order: { position: 'ASC' },
    });
    if (!open.length) {
      this.logger.log({ msg: 'no open checklist item waits for this event', stateCode, type: event.type, eventId: event.id });
      return;
    }
    const evidence: EvidenceV1 = { reference: `event ${event.id}`, date: event.time.slice(0, 10) };
    for (const item of open) await this.close(m, item, event.type, evidence, null);
  }

  private async close(
    m: EntityManager,
    item: ChecklistItem,
    doneBy: string,
    evidence: EvidenceV1,
    note: string | null,
  ): Promise<ChecklistItem> {
    const before = checklistItemView(item);
    Object.assign(item, { done: true, doneBy, doneAt: new Date(), evidence, note });
    await m.getRepository(ChecklistItem).save(item);
    await recordAudit(m, {
      action: 'transfer.checklist-item-completed',
      entity: 'ChecklistItem',
      entityId: `${item.stateCode}/${item.itemId}`,
      stateCode: item.stateCode,
      before,
      after: { ...checklistItemView(item), stage: item.stage, definitionVersion: item.definitionVersion },
      reason: note,
    });
    await publishEvents(m, ChecklistItemCompleted, [completedPayload(item)]);
    return item;
  }
}

function completedPayload(i: ChecklistItem): ChecklistItemCompletedV1 {
  return {
    stateCode: i.stateCode,
    stage: i.stage,
    itemId: i.itemId,
    title: i.title,
    source: i.source,
    completedBy: i.doneBy!,
    // Evidence is what a person gave; an event item's closing event is its own record.
    ...(i.source === 'manual' && i.evidence ? { evidence: i.evidence } : {}),
    completedAt: i.doneAt!.toISOString(),
  };
}
