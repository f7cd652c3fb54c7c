import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { currentContext } from '@imb/contracts';
import { AuditError } from './audit-error';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';
import { AuditLogEntity } from './audit-log.entity';
import { canonicalJson } from './canonical-json';

/** What the caller says about a change; who/when/chain fields are filled in by {@link recordAudit}. */
export interface AuditEntry {
  /** What happened, e.g. `stage.advanced`. */
  action: string;
  /** Kind of the thing changed, e.g. `StateTransfer`. */
  entity: string;
  entityId: string;
  stateCode?: string | null;
  /** JSON-serializable state before the change (null/absent for a creation). */
  before?: unknown;
  /** JSON-serializable state after the change (null/absent for a removal). */
  after?: unknown;
  /** Why, in the actor's words. */
  reason?: string | null;
  /** Defaults to the actor of the current execution context. */
  actor?: string;
  /** Defaults to the correlation id of the current execution context. */
  correlationId?: string | null;
}

/**
 * Key of the transaction-scoped advisory lock that serializes writers of the chain
 * ("imbaudit" in ASCII). Each service has its own database, so one key per database suffices.
 */
export const AUDIT_CHAIN_LOCK_KEY = '7596836317164759412';

/**
 * Appends one record to the audit chain inside the caller's transaction, so the record
 * commits or rolls back with the change it describes.
 *
 * `manager` must belong to an open READ COMMITTED transaction (TypeORM's default). Writers
 * serialize on an advisory lock held until their transaction ends, and each statement after
 * the lock sees the previous writer's committed record; under REPEATABLE READ or SERIALIZABLE
 * the snapshot may predate the lock and the chain would fork, so those are refused.
 */
export async function recordAudit(manager: EntityManager, entry: AuditEntry): Promise<AuditLogEntity> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new AuditError(
      'AUDIT_NO_TRANSACTION',
      'recordAudit needs the EntityManager of the transaction that makes the change (dataSource.transaction(manager => …)).',
    );
  }
  for (const field of ['action', 'entity', 'entityId'] as const) {
    if (typeof entry[field] !== 'string' || entry[field].trim() === '') {
      throw new AuditError('AUDIT_INVALID_ENTRY', `${field} must be a non-empty string.`);
    }
  }
  const context = currentContext();
  const actor = entry.actor ?? context?.actor;
  if (!actor) {
    throw new AuditError(
      'AUDIT_ACTOR_MISSING',
      `no actor for ${entry.action} on ${entry.entity} ${entry.entityId}: pass entry.actor or run inside runInContext({ actor }) (use 'system:<service>' for automatic work).`,
    );
  }

  const [{ isolation }] = await manager.query<{ isolation: string }[]>(
    `SELECT current_setting('transaction_isolation') AS isolation, pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`,
  );
  if (isolation !== 'read committed') {
    throw new AuditError(
      'AUDIT_ISOLATION',
      `the transaction runs at ${isolation.toUpperCase()}; audit records need READ COMMITTED to see the chain's latest record.`,
    );
  }
  // The database clock, read under the lock, keeps occurred_at in seq order across service instances.
  const [head] = await manager.query<{ prev_hash: string | null; now: Date }[]>(
    `SELECT (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS prev_hash,
            date_trunc('milliseconds', clock_timestamp()) AS now`,
  );

  const record = new AuditLogEntity();
  record.id = randomUUID();
  record.occurredAt = head.now;
  record.actor = actor;
  record.action = entry.action;
  record.entity = entry.entity;
  record.entityId = entry.entityId;
  record.stateCode = entry.stateCode ?? null;
  record.before = toJsonValue(entry.before);
  record.after = toJsonValue(entry.after);
  record.reason = entry.reason ?? null;
  record.correlationId = entry.correlationId ?? context?.correlationId ?? null;
  record.prevHash = head.prev_hash ?? GENESIS_HASH;
  record.hash = computeAuditHash(record);

  const [{ seq }] = await manager.query<{ seq: string }[]>(
    `INSERT INTO audit_log (id, occurred_at, actor, action, entity, entity_id, state_code,
                            before, after, reason, correlation_id, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13)
     RETURNING seq`,
    [
      record.id,
      record.occurredAt.toISOString(),
      record.actor,
      record.action,
      record.entity,
      record.entityId,
      record.stateCode,
      // Serialized here because pg would turn a JS array into a PostgreSQL array, not JSON.
      record.before === null ? null : canonicalJson(record.before),
      record.after === null ? null : canonicalJson(record.after),
      record.reason,
      record.correlationId,
      record.prevHash,
      record.hash,
    ],
  );
  record.seq = seq;
  return record;
}

/** The value as it will read back from jsonb, so the returned record equals the stored one. */
function toJsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(canonicalJson(value)) as unknown;
}
