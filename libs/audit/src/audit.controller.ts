import { Body, Controller, ForbiddenException, Get, HttpCode, Post, Query, ValidationPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, maskCurp, NATIONAL_ROLES, personalDataView, Principal, Roles, StateScope } from '@imb/auth';
import { CURP_SHAPE } from '@imb/contracts';
import { AuditQueryDto } from './audit-query.dto';
import { AuditVerifyBody } from './audit-verify.dto';
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

  /**
   * Records matching the filters, newest first. Records hold other states' data (before/after),
   * so a caller without a national role reads only a state of their token, named in `stateCode`
   * (the guard checks a given state; 403 when none is named).
   */
  @Get()
  @StateScope('stateCode', { optional: true })
  async search(
    @Query(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }))
    query: AuditQueryDto,
    @CurrentUser() user?: Principal,
  ): Promise<AuditPage> {
    if (user && !user.roles.some((role) => NATIONAL_ROLES.includes(role)) && query.stateCode === undefined) {
      throw new ForbiddenException(
        `Name a stateCode: your token grants the states [${user.states.join(', ')}] and no national role, so you may read only their audit records.`,
      );
    }
    const page = await this.audit.search({
      entity: query.entity,
      entityId: query.entityId,
      actor: query.actor,
      stateCode: query.stateCode,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      page: query.page,
      pageSize: query.pageSize,
    });
    // Records may name a worker (formalization steps, appointments): masked for roles that read
    // the trail but may not know the person (docs/data-access.md, resource audit.records).
    if (!user || personalDataView(user, 'audit.records', query.stateCode ?? '') === 'whole') return page;
    return { ...page, items: page.items.map((record) => maskCurps(record)) };
  }

  /** Recomputes the whole chain and reports the first broken record, if any: costly, so auditors and federal coordinators only. */
  @Get('verify')
  @Roles('auditor', 'federal-coordinator')
  verify(): Promise<AuditVerifyResult> {
    return this.audit.verify();
  }

  /**
   * The same, also checking that each anchor (a head of the chain published earlier and kept by
   * the gateway) is still in the chain with the same hash: catches records removed from the end
   * and a chain rewritten with its hashes recomputed. Reads nothing but the body's anchors.
   */
  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'federal-coordinator')
  verifyAgainstAnchors(
    @Body(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true })) body: AuditVerifyBody,
  ): Promise<AuditVerifyResult> {
    return this.audit.verify({ anchors: body.anchors });
  }
}

/** A copy of `value` with every CURP in its strings masked (keys and structure unchanged). */
function maskCurps<T>(value: T): T {
  if (typeof value === 'string') return value.replace(CURP_SHAPE, (curp) => maskCurp(curp.toUpperCase())) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => maskCurps(v)) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskCurps(v)])) as T;
}
