import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { applyPersonalDataView, CurrentUser, personalDataView, Principal, Roles, rolesWithPersonalDataAccess } from '@imb/auth';
import { BulkMoveDto, CreateCampaignDto, ListCandidatesQuery, MoveStepDto, PageQuery } from './formalization.dto';
import { FormalizationService } from './formalization.service';
import { listOf, ListUploadInterceptor } from './list-upload.interceptor';

const READERS = ['federal-coordinator', 'hr-officer', 'state-coordinator', 'auditor'] as const;

/** A candidate as the caller's view of `hr.formalization-candidates` in its state allows (docs/data-access.md). */
const asSeenBy = <T extends { stateCode: string }>(user: Principal, candidate: T): T =>
  applyPersonalDataView(candidate, 'hr.formalization-candidates', personalDataView(user, 'hr.formalization-candidates', candidate.stateCode));

const PERSONAL_DATA_NOTE =
  'Personal data (docs/data-access.md, resource hr.formalization-candidates): hr-officers, federal coordinators and auditors get CURP and name whole; state coordinators get them masked (CURP first 4 characters, name as initials).';

/**
 * Formalization campaigns (basificación). A campaign spans states, so access to its states is
 * checked by the service once the campaign is loaded: HR officers act on their states, federal
 * coordinators on all, auditors only read.
 */
@ApiTags('formalization')
@ApiBearerAuth()
@Controller('hr/formalization/campaigns')
export class FormalizationController {
  constructor(private readonly formalization: FormalizationService) {}

  @Post()
  @Roles('federal-coordinator', 'hr-officer')
  @ApiCreatedResponse({ description: 'The campaign: states, cut-off date, rules (7 criteria; thresholds configurable)' })
  create(@CurrentUser() user: Principal, @Body() body: CreateCampaignDto) {
    return this.formalization.create(user, body);
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ description: '{ items, total, page, pageSize }: campaigns covering a state of the caller, newest first' })
  list(@CurrentUser() user: Principal, @Query() query: PageQuery) {
    return this.formalization.list(user, query);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'The campaign with its uploaded lists' })
  get(@CurrentUser() user: Principal, @Param('id') id: string) {
    return this.formalization.get(user, id);
  }

  @Post(':id/lists/:kind')
  @HttpCode(201)
  @Roles('federal-coordinator', 'hr-officer')
  @UseInterceptors(ListUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '.csv or .xlsx with a CURP column' } } } })
  @ApiCreatedResponse({ description: 'kind = permanent-posts | barred | evaluations; replaces that list. 400 with { errors: [{ row, field, message }] } and nothing stored when a row is bad' })
  uploadList(@CurrentUser() user: Principal, @Param('id') id: string, @Param('kind') kind: string, @Req() req: Request) {
    return this.formalization.uploadList(user, id, kind, listOf(req));
  }

  @Post(':id/eligibility')
  @HttpCode(202)
  @Roles('federal-coordinator', 'hr-officer')
  @ApiAcceptedResponse({ description: '{ jobId }: evaluates every candidate against the 7 criteria; follow it at GET /api/jobs/{jobId}' })
  @ApiConflictResponse({ description: 'A reference list is missing, or an evaluation is already running' })
  eligibility(@CurrentUser() user: Principal, @Param('id') id: string) {
    return this.formalization.requestEligibility(user, id);
  }

  @Get(':id/candidates')
  @Roles(...rolesWithPersonalDataAccess('hr.formalization-candidates'))
  @ApiOkResponse({ description: `{ items, total, page, pageSize }: candidates with each criterion outcome (pass, reason) and their step. ${PERSONAL_DATA_NOTE}` })
  async candidates(@CurrentUser() user: Principal, @Param('id') id: string, @Query() query: ListCandidatesQuery) {
    const page = await this.formalization.candidates(user, id, query);
    return { ...page, items: page.items.map((candidate) => asSeenBy(user, candidate)) };
  }

  @Get(':id/candidates/:curp')
  @Roles(...rolesWithPersonalDataAccess('hr.formalization-candidates'))
  @ApiOkResponse({ description: `One candidate with each criterion outcome and the step. ${PERSONAL_DATA_NOTE}` })
  async candidate(@CurrentUser() user: Principal, @Param('id') id: string, @Param('curp') curp: string) {
    return asSeenBy(user, await this.formalization.candidate(user, id, curp));
  }

  @Get(':id/counts')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'Per state: candidates, eligible, ineligible, failures by criterion, people at each step' })
  counts(@CurrentUser() user: Principal, @Param('id') id: string) {
    return this.formalization.counts(user, id);
  }

  @Post(':id/candidates/:curp/steps')
  @HttpCode(200)
  @Roles('federal-coordinator', 'hr-officer')
  @ApiOkResponse({ description: 'The candidate at the new step; the appointment makes the contract base and the post permanent' })
  @ApiConflictResponse({ description: 'Not eligible, step out of order, already appointed or rejected' })
  moveStep(@CurrentUser() user: Principal, @Param('id') id: string, @Param('curp') curp: string, @Body() body: MoveStepDto) {
    return this.formalization.moveStep(user, id, curp, body);
  }

  @Post(':id/steps')
  @HttpCode(202)
  @Roles('federal-coordinator', 'hr-officer')
  @ApiAcceptedResponse({ description: '{ jobId }: moves the listed people to the step; the result has each person’s outcome' })
  bulkMove(@CurrentUser() user: Principal, @Param('id') id: string, @Body() body: BulkMoveDto) {
    return this.formalization.requestBulkMove(user, id, body);
  }
}
