import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** prev_hash of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit record that its hash covers (everything but seq and the hash itself). */
export interface AuditHashInput {
  prevHash: string;
  id: string;
  occurredAt: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  stateCode: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  correlationId: string | null;
}

/** SHA-256 (hex) of the canonical JSON of a record's content and its predecessor's hash. */
export function computeAuditHash(input: AuditHashInput): string {
  const content = canonicalJson({
    prevHash: input.prevHash,
    id: input.id,
    occurredAt: input.occurredAt.toISOString(),
    actor: input.actor,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    // null and absent must hash alike: the database stores both as NULL.
    stateCode: input.stateCode ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    reason: input.reason ?? null,
    correlationId: input.correlationId ?? null,
  });
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
