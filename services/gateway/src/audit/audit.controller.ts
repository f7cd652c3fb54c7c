import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Roles, StateScope } from '@imb/auth';
import type { MergedPage } from '../jobs/jobs.service';
import { Authorization } from '../upstreams/authorization.decorator';
import { AuditQuery, VerifyQuery } from './audit.dto';
import { AllChainsVerification, AuditRecord, AuditService, ChainVerification } from './audit.service';
import { AllChainsVerificationView, AuditPageView, ChainVerificationView } from './audit.views';

/** The audit explorer's API: the services' audit logs, one at a time or merged. */
@ApiTags('audit')
@ApiExtraModels(ChainVerificationView, AllChainsVerificationView)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  // As in each service: a given state must be one of the caller's (the services also refuse a state-bound caller naming none).
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({
    type: AuditPageView,
    description:
      'Records newest first, each with its `service`; `unavailable` names services that could not answer',
  })
  search(
    @Query() query: AuditQuery,
    @Authorization() authorization?: string,
  ): Promise<MergedPage<AuditRecord>> {
    return this.audit.search(query, authorization);
  }

  @Get('verify')
  // Recomputes whole chains: costly, so only for the roles that answer for the trail.
  @Roles('auditor', 'federal-coordinator')
  @ApiOkResponse({
    description:
      '`{valid, checked, firstBrokenAt?}` of one service, or `{valid, checked, services: [...], unavailable}` for all',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ChainVerificationView) },
        { $ref: getSchemaPath(AllChainsVerificationView) },
      ],
    },
  })
  verify(
    @Query() query: VerifyQuery,
    @Authorization() authorization?: string,
  ): Promise<ChainVerification | AllChainsVerification> {
    return query.service
      ? this.audit.verifyOne(query.service, authorization)
      : this.audit.verifyAll(authorization);
  }
}
