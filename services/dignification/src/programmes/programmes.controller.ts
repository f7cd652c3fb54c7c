import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles, StateScope } from '@imb/auth';
import { ListEligibleUnitsQuery } from '../units/units.dto';
import { readScope } from '../units/scope';
import { AllocationsQuery, CreateProgrammeDto, ListProgrammesQuery } from './programmes.dto';
import { ProgrammesService } from './programmes.service';

/**
 * Annual programmes are national: creating one and running its allocation is for federal
 * coordinators and dignification officers; reading a state's figures needs access to that state.
 */
@ApiTags('dignification programmes')
@ApiBearerAuth()
@Controller('dignification/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Post()
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiCreatedResponse({ description: '{ id } of the programme; it keeps a copy of the eligibility and priority rules in force' })
  @ApiConflictResponse({ description: 'The year already has a programme' })
  create(@Body() body: CreateProgrammeDto) {
    return this.programmes.create(body.year, body.envelope);
  }

  @Get()
  @ApiOkResponse({ description: '{ items: [programme], total, page, pageSize }, newest year first' })
  list(@Query() query: ListProgrammesQuery) {
    return this.programmes.list(query.year, query.page ?? 1, query.pageSize ?? 100);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The programme, its rules and when its allocation was computed' })
  get(@Param('id') id: string) {
    return this.programmes.get(id);
  }

  @Post(':id/allocate')
  @HttpCode(202)
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiAcceptedResponse({ description: '{ jobId }: follow it at GET /api/jobs/{jobId}' })
  allocate(@Param('id') id: string) {
    return this.programmes.requestAllocation(id);
  }

  @Get(':id/allocations')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ units, total, byTier: [{ tier, units, amount }], leftOut: [{ clues, reason, message, … }] }' })
  @ApiConflictResponse({ description: 'Not allocated yet' })
  allocations(@Param('id') id: string, @Query() query: AllocationsQuery, @CurrentUser() user: Principal) {
    return this.programmes.allocations(id, readScope(user, query.stateCode));
  }

  @Get(':id/allocations/items')
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ items: [{ id, clues, tier, amount, rank, disbursed }], total, page, pageSize }, in funding order' })
  items(@Param('id') id: string, @Query() query: ListEligibleUnitsQuery, @CurrentUser() user: Principal) {
    return this.programmes.allocationItems(id, readScope(user, query.stateCode), query.page ?? 1, query.pageSize ?? 100);
  }
}
