import { Controller, Get, Query, ValidationPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';
import { AuditPage } from './search-audit';
import { AuditVerifyResult } from './verify-audit-chain';

/**
 * Read-only HTTP access to the audit log. Guards come from the service (global), not from here.
 * The pipe is local so the numbers and dates arrive converted whatever the global pipe's settings.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Records matching the filters, newest first. */
  @Get()
  search(
    @Query(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
    query: AuditQueryDto,
  ): Promise<AuditPage> {
    return this.audit.search({
      entity: query.entity,
      entityId: query.entityId,
      actor: query.actor,
      stateCode: query.stateCode,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  /** Recomputes the whole chain and reports the first broken record, if any. */
  @Get('verify')
  verify(): Promise<AuditVerifyResult> {
    return this.audit.verify();
  }
}
