import { And, DataSource, EntityManager, FindOptionsWhere, LessThan, MoreThanOrEqual } from 'typeorm';
import { MAX_PAGE, MAX_PAGE_SIZE } from '@imb/platform';
import { AuditError } from './audit-error';
import { AuditLogEntity } from './audit-log.entity';

/** Largest page {@link searchAudit} returns. */
export const AUDIT_MAX_PAGE_SIZE = MAX_PAGE_SIZE;
export const AUDIT_DEFAULT_PAGE_SIZE = 50;

/** Filters of {@link searchAudit}; all optional and combined with AND. */
export interface AuditSearchQuery {
  entity?: string;
  entityId?: string;
  actor?: string;
  stateCode?: string;
  /** Inclusive lower bound of occurred_at. */
  from?: Date;
  /** Exclusive upper bound of occurred_at. */
  to?: Date;
  /** 1-based, at most MAX_PAGE (libs/platform); default 1. */
  page?: number;
  /** 1..1000; default 50. */
  pageSize?: number;
}

/** One page of audit records, newest first. */
export interface AuditPage {
  items: AuditLogEntity[];
  total: number;
  page: number;
  pageSize: number;
}

/** Finds audit records, newest first. `AuditLogEntity` must be among the DataSource's entities. */
export async function searchAudit(
  source: DataSource | EntityManager,
  query: AuditSearchQuery,
): Promise<AuditPage> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? AUDIT_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new AuditError(
      'AUDIT_INVALID_QUERY',
      `page must be an integer from 1 to ${MAX_PAGE}, got ${page}.`,
    );
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > AUDIT_MAX_PAGE_SIZE) {
    throw new AuditError(
      'AUDIT_INVALID_QUERY',
      `pageSize must be an integer from 1 to ${AUDIT_MAX_PAGE_SIZE}, got ${pageSize}.`,
    );
  }
  for (const bound of ['from', 'to'] as const) {
    const date = query[bound];
    if (date !== undefined && Number.isNaN(date.getTime())) {
      throw new AuditError('AUDIT_INVALID_QUERY', `${bound} is not a valid date.`);
    }
  }

  const where: FindOptionsWhere<AuditLogEntity> = {};
  if (query.entity !== undefined) where.entity = query.entity;
  if (query.entityId !== undefined) where.entityId = query.entityId;
  if (query.actor !== undefined) where.actor = query.actor;
  if (query.stateCode !== undefined) where.stateCode = query.stateCode;
  if (query.from && query.to) where.occurredAt = And(MoreThanOrEqual(query.from), LessThan(query.to));
  else if (query.from) where.occurredAt = MoreThanOrEqual(query.from);
  else if (query.to) where.occurredAt = LessThan(query.to);

  const [items, total] = await source.getRepository(AuditLogEntity).findAndCount({
    where,
    order: { seq: 'DESC' },
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  return { items, total, page, pageSize };
}
