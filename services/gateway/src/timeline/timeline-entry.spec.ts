import {
  createEvent,
  curpCheckDigit,
  WorkerFormalized,
  EvidenceFlagged,
  FundsDisbursed,
  StageChanged,
  AllocationComputed,
} from '@imb/contracts';
import { describeType, timelineAudit, timelineEvent } from './timeline-entry';

describe('timelineEvent', () => {
  it('summarizes a stage change of a state, with who did it', () => {
    const event = createEvent(
      StageChanged,
      {
        stateCode: '13',
        fromStage: 'OPERATION',
        toStage: 'PAYROLL',
        reason: 'payroll not federalized',
        definitionVersion: 1,
        changedAt: '2026-01-01T00:00:00Z',
      },
      { actor: 'ana' },
    );
    expect(timelineEvent(event)).toEqual({
      eventId: event.id,
      stateCode: '13',
      at: event.time,
      service: 'transfer',
      type: 'transfer.stage-changed.v1',
      summary: 'Stage OPERATION → PAYROLL: payroll not federalized',
      actor: 'ana',
      entityId: '13',
    });
  });

  it('summarizes a disbursement in pesos', () => {
    const event = createEvent(FundsDisbursed, {
      disbursementId: '6b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      programmeId: '7b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      allocationId: '8b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      clues: 'HGIMB000016',
      stateCode: '13',
      amount: 200000,
      disbursedTotal: 200000,
      allocated: 400000,
      disbursedAt: '2026-01-01T00:00:00Z',
    });
    expect(timelineEvent(event)?.summary).toBe(
      'MXN 200,000 paid to the committee of HGIMB000016 (MXN 200,000 of MXN 400,000)',
    );
  });

  it('gives a generic line for a type without its own sentence, and nothing for an event about no state', () => {
    const flagged = createEvent(EvidenceFlagged, {
      evidenceId: '6b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      programmeId: '7b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      allocationId: '8b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      clues: 'HGIMB000016',
      stateCode: '13',
      sha256: 'a'.repeat(64),
      reason: 'FAR_FROM_UNIT',
      capturedAt: '2026-01-01T00:00:00Z',
    });
    expect(timelineEvent({ ...flagged, type: 'dignification.photo-reviewed.v1' })?.summary).toBe(
      'dignification: photo reviewed',
    );
    const national = createEvent(AllocationComputed, {
      programmeId: '7b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      year: 2026,
      envelope: 1,
      units: 0,
      total: 0,
      leftOut: 0,
      byTier: {},
      inputHash: 'h',
      computedAt: '2026-01-01T00:00:00Z',
    });
    expect(timelineEvent(national)).toBeNull();
  });

  it('words an appointment without the CURP, which every role of the state would read (docs/data-access.md)', () => {
    const curp = `GOMA850101HNTRRR0${curpCheckDigit('GOMA850101HNTRRR0')}`;
    const event = createEvent(WorkerFormalized, {
      workerId: '6b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      curp,
      stateCode: '18',
      campaignId: '7b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      contractId: '8b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      postId: '9b0c7d9e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      postNumber: 'P-000123',
      postCode: 'M01006',
      category: 'general-practitioner',
      clues: 'NTIMB000016',
      previousContractType: 'eventual',
      appointedAt: '2026-01-01T00:00:00Z',
    });
    const line = timelineEvent(event);
    expect(line?.summary).toBe('1 worker appointed to base post P-000123 (M01006) at NTIMB000016');
    expect(JSON.stringify(line)).not.toMatch(new RegExp(curp, 'i'));
  });

  it('redacts a CURP typed into a free-text reason', () => {
    const event = createEvent(StageChanged, {
      stateCode: '13',
      fromStage: 'OPERATION',
      toStage: 'PAYROLL',
      reason: 'payroll of gomA850101hntrrr09 missing',
      definitionVersion: 1,
      changedAt: '2026-01-01T00:00:00Z',
    });
    expect(timelineEvent(event)?.summary).toBe('Stage OPERATION → PAYROLL: payroll of [curp] missing');
  });

  it('names a type by its event part', () => {
    expect(describeType('hr.worker-formalized.v1')).toBe('worker formalized');
  });
});

describe('timelineAudit', () => {
  it('turns an audit record into a line', () => {
    expect(
      timelineAudit({
        occurredAt: '2026-01-01T00:00:00.000Z',
        service: 'transfer',
        action: 'stage.changed',
        entity: 'StateTransfer',
        entityId: '13',
        actor: 'ana',
        reason: 'why',
      }),
    ).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      service: 'transfer',
      kind: 'audit',
      type: 'stage.changed',
      summary: 'stage.changed on StateTransfer 13: why',
      actor: 'ana',
      entityId: '13',
    });
  });
});
