import { Body, Controller, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, type Principal, Roles, StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { RosterUploadInterceptor, rosterOf } from './roster-upload.interceptor';
import { ImportRosterQuery, PayrollTransferDto } from './rosters.dto';
import { RostersService } from './rosters.service';

@ApiTags('rosters')
@ApiBearerAuth()
@Controller('hr')
export class RostersController {
  constructor(private readonly rosters: RostersService) {}

  @Post('rosters/imports')
  @HttpCode(202)
  @Roles('federal-coordinator', 'hr-officer')
  @StateScope('stateCode')
  @UseInterceptors(RosterUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: "the state's payroll export (.xlsx or .csv)" } } } })
  @ApiAcceptedResponse({ description: '{ jobId }: follow it at GET /api/jobs/{jobId}, its row errors at /api/jobs/{jobId}/errors' })
  @ApiTooManyRequestsResponse({ description: 'ROSTER_IMPORT_LIMIT: ROSTER_IMPORTS_PER_HOUR imports (dry runs included) already started by this person in the last hour' })
  importRoster(@CurrentUser() user: Principal, @Query() query: ImportRosterQuery, @Req() req: Request) {
    return this.rosters.requestImport(user, query.stateCode, rosterOf(req), {
      dryRun: query.dryRun === 'true',
      endBaseContracts: query.endBaseContracts === 'true',
    });
  }

  @Post('states/:stateCode/payroll-transfer')
  @HttpCode(200)
  @Roles('federal-coordinator', 'hr-officer')
  @StateScope('stateCode')
  @ApiOkResponse({ description: '{ stateCode, workers, effectiveDate }; payroll-transferred is emitted' })
  @ApiConflictResponse({ description: 'The state payroll was already federalized' })
  transferPayroll(@Param('stateCode', StateCodePipe) stateCode: string, @Body() body: PayrollTransferDto) {
    return this.rosters.transferPayroll(stateCode, body.effectiveDate);
  }
}
