import { DataSource, EntityManager } from 'typeorm';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';

/** Outcome of {@link verifyAuditChain}. */
export interface AuditVerifyResult {
  /** True when every record links to its predecessor and matches its own hash. */
  valid: boolean;
  /** Records examined, the broken one included. */
  checked: number;
  /**
   * The first record (in seq order) whose link or content does not match, or an anchored record
   * that is missing (no `id` then).
   */
  firstBrokenAt?: { seq: string; id?: string; reason: string };
  /** Anchors compared (records whose hash was kept outside the database), when some were given. */
  anchorsChecked?: number;
}

/** A record's sequence number and hash as published when it was the chain's newest (kept by the gateway). */
export interface AuditAnchor {
  seq: string;
  hash: string;
}

export interface AuditVerifyOptions {
  /** Records read per query; memory stays bounded by one batch. Default 1000. */
  batchSize?: number;
  /**
   * Heads of the chain kept outside the database: each must still be in the chain with the same
   * hash. A chain checked only against itself stays valid when its newest records are removed, or
   * when it is rewritten from some record on with every later hash recomputed; an anchor catches both.
   */
  anchors?: AuditAnchor[];
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
 * whose predecessor was altered or removed, or an anchor (see {@link AuditVerifyOptions.anchors})
 * the chain no longer holds. Reads in keyset-paginated batches, so it can run while writers append.
 */
export async function verifyAuditChain(
  source: DataSource | EntityManager,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const anchors = [...(options.anchors ?? [])].sort((a, b) => compareSeq(a.seq, b.seq));
  const withAnchors = (result: AuditVerifyResult): AuditVerifyResult =>
    options.anchors ? { ...result, anchorsChecked: anchors.length } : result;
  let nextAnchor = 0;
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
      const anchor = anchors[nextAnchor];
      if (anchor && compareSeq(anchor.seq, row.seq) < 0) {
        return withAnchors({ valid: false, checked, firstBrokenAt: missingAnchored(anchor, 'the chain skips it') });
      }
      const reason = brokenReason(row, expectedPrev) ?? (anchor?.seq === row.seq ? anchorReason(row, anchor) : undefined);
      if (reason) return withAnchors({ valid: false, checked, firstBrokenAt: { seq: row.seq, id: row.id, reason } });
      if (anchor?.seq === row.seq) nextAnchor++;
      expectedPrev = row.hash;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) {
      const anchor = anchors[nextAnchor];
      if (anchor) {
        const end = lastSeq === '0' ? 'the chain is empty' : `the chain ends at seq ${lastSeq}`;
        return withAnchors({ valid: false, checked, firstBrokenAt: missingAnchored(anchor, `${end}: records were removed from its end`) });
      }
      return withAnchors({ valid: true, checked });
    }
  }
}

/** Orders sequence numbers (decimal strings of bigint) numerically. */
function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function missingAnchored(anchor: AuditAnchor, why: string): { seq: string; reason: string } {
  return {
    seq: anchor.seq,
    reason: `record ${anchor.seq} is missing (${why}), yet its hash ${anchor.hash} was published as the chain's head: records were removed`,
  };
}

function anchorReason(row: AuditRow, anchor: AuditAnchor): string | undefined {
  if (row.hash === anchor.hash) return undefined;
  return `hash ${row.hash} differs from ${anchor.hash}, published when this record was the chain's head: the chain was rewritten up to here`;
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
