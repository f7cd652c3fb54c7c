import { DataSource, EntityManager } from 'typeorm';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';

/** Outcome of {@link verifyAuditChain}. */
export interface AuditVerifyResult {
  /** True when every record links to its predecessor and matches its own hash. */
  valid: boolean;
  /** Records examined, the broken one included. */
  checked: number;
  /** The first record (in seq order) whose link or content does not match. */
  firstBrokenAt?: { seq: string; id: string; reason: string };
}

export interface AuditVerifyOptions {
  /** Records read per query; memory stays bounded by one batch. Default 1000. */
  batchSize?: number;
}

interface AuditRow {
  seq: string;
  id: string;
  occurred_at: Date;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  state_code: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * Recomputes the whole chain in seq order and reports the first record that was altered, or
 * whose predecessor was altered or removed. Reads in keyset-paginated batches, so it can run
 * while writers append. (Removing the newest records leaves a shorter valid chain: catching
 * that needs the head hash kept elsewhere.)
 */
export async function verifyAuditChain(
  source: DataSource | EntityManager,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  let expectedPrev = GENESIS_HASH;
  let lastSeq = '0';
  let checked = 0;
  for (;;) {
    const rows = await source.query<AuditRow[]>(
      `SELECT seq, id, occurred_at, actor, action, entity, entity_id, state_code,
              before, after, reason, correlation_id, prev_hash, hash
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [lastSeq, batchSize],
    );
    for (const row of rows) {
      checked++;
      const reason = brokenReason(row, expectedPrev);
      if (reason) return { valid: false, checked, firstBrokenAt: { seq: row.seq, id: row.id, reason } };
      expectedPrev = row.hash;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) return { valid: true, checked };
  }
}

function brokenReason(row: AuditRow, expectedPrev: string): string | undefined {
  if (row.prev_hash !== expectedPrev) {
    return `prev_hash ${row.prev_hash} does not match the previous record's hash ${expectedPrev}: the previous record was altered or removed`;
  }
  const recomputed = computeAuditHash({
    prevHash: row.prev_hash,
    id: row.id,
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    stateCode: row.state_code,
    before: row.before,
    after: row.after,
    reason: row.reason,
    correlationId: row.correlation_id,
  });
  if (recomputed !== row.hash) {
    return `stored hash ${row.hash} does not match the record's content (recomputed ${recomputed}): the record was altered`;
  }
  return undefined;
}
