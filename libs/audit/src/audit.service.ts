import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity';
import { AuditEntry, recordAudit } from './record-audit';
import { AuditPage, AuditSearchQuery, searchAudit } from './search-audit';
import { AuditVerifyOptions, AuditVerifyResult, verifyAuditChain } from './verify-audit-chain';

/**
 * The audit log of the service's own database, for Nest code. Needs the default `DataSource`
 * as a provider (`TypeOrmModule.forRoot…` registers it).
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends a record inside the caller's transaction; see {@link recordAudit}. */
  record(manager: EntityManager, entry: AuditEntry): Promise<AuditLogEntity> {
    return recordAudit(manager, entry);
  }

  /** Finds records, newest first; see {@link searchAudit}. */
  search(query: AuditSearchQuery): Promise<AuditPage> {
    return searchAudit(this.dataSource, query);
  }

  /** Recomputes the whole chain; see {@link verifyAuditChain}. */
  verify(options?: AuditVerifyOptions): Promise<AuditVerifyResult> {
    return verifyAuditChain(this.dataSource, options);
  }
}
