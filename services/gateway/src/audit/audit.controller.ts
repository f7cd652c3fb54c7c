import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StateScope } from '@imb/auth';
import type { MergedPage } from '../jobs/jobs.service';
import { AuditQuery, VerifyQuery } from './audit.dto';
import { AllChainsVerification, AuditRecord, AuditService, ChainVerification } from './audit.service';

/** The audit explorer's API: the services' audit logs, one at a time or merged. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  // As in each service: a given state must be one of the caller's (the services also refuse a state-bound caller naming none).
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({
    description:
      'Records newest first, each with its `service`; `unavailable` names services that could not answer',
  })
  search(
    @Query() query: AuditQuery,
    @Headers('authorization') authorization?: string,
  ): Promise<MergedPage<AuditRecord>> {
    return this.audit.search(query, authorization);
  }

  @Get('verify')
  // Recomputes whole chains: costly, so only for the roles that answer for the trail.
  @Roles('auditor', 'federal-coordinator')
  @ApiOkResponse({
    description:
      '`{valid, checked, firstBrokenAt?}` of one service, or `{valid, checked, services: [...], unavailable}` for all',
  })
  verify(
    @Query() query: VerifyQuery,
    @Headers('authorization') authorization?: string,
  ): Promise<ChainVerification | AllChainsVerification> {
    return query.service
      ? this.audit.verifyOne(query.service, authorization)
      : this.audit.verifyAll(authorization);
  }
}
