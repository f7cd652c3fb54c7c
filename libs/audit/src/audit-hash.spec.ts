import { AuditHashInput, GENESIS_HASH, computeAuditHash } from './audit-hash';

const base: AuditHashInput = {
  prevHash: GENESIS_HASH,
  id: '7d1f3c52-8f0e-4a8e-9a61-3b0d2a7f4c11',
  occurredAt: new Date('2025-06-01T10:00:00.123Z'),
  actor: 'user-42',
  action: 'stage.advanced',
  entity: 'StateTransfer',
  entityId: 'st-09',
  stateCode: '09',
  before: { stage: 'diagnosis', gates: { open: 2 } },
  after: { stage: 'transfer', gates: { open: 0 } },
  reason: 'checklist complete',
  correlationId: 'corr-1',
};

describe('computeAuditHash', () => {
  it('is 64 hex digits and deterministic', () => {
    expect(computeAuditHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash({ ...base })).toBe(computeAuditHash(base));
  });

  it('does not depend on the key order of the input or of before/after', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as AuditHashInput;
    reordered.before = { gates: { open: 2 }, stage: 'diagnosis' };
    expect(computeAuditHash(reordered)).toBe(computeAuditHash(base));
  });

  it('treats absent and null optional fields alike, as the database does', () => {
    const withNulls = {
      ...base,
      stateCode: null,
      before: null,
      after: null,
      reason: null,
      correlationId: null,
    };
    const withAbsent = { ...withNulls, before: undefined, after: undefined };
    expect(computeAuditHash(withAbsent)).toBe(computeAuditHash(withNulls));
  });

  const changes: { [K in keyof AuditHashInput]: AuditHashInput[K] } = {
    prevHash: 'f'.repeat(64),
    id: '00000000-0000-4000-8000-000000000000',
    occurredAt: new Date('2025-06-01T10:00:00.124Z'),
    actor: 'user-43',
    action: 'stage.reverted',
    entity: 'Gate',
    entityId: 'st-10',
    stateCode: '10',
    before: { stage: 'diagnosis', gates: { open: 3 } },
    after: { stage: 'transfer', gates: { open: 0 }, extra: true },
    reason: 'checklist complete.',
    correlationId: null,
  };
  it.each(Object.keys(changes) as (keyof AuditHashInput)[])('changes when %s changes', (field) => {
    expect(computeAuditHash({ ...base, [field]: changes[field] })).not.toBe(computeAuditHash(base));
  });

  it('does not let one field bleed into the next', () => {
    const a = { ...base, entity: 'State', entityId: 'Transfer1' };
    const b = { ...base, entity: 'StateTransfer', entityId: '1' };
    expect(computeAuditHash(a)).not.toBe(computeAuditHash(b));
  });
});
