import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles, StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { CatalogueUploadInterceptor, ReceivedCatalogue } from './catalogue-upload.interceptor';
import { CluesPipe } from './clues.pipe';
import { BulkUnitStatusDto, ChangeUnitStatusDto, ImportUnitsQuery, ListUnitsQuery } from './units.dto';
import { UnitsService } from './units.service';

const catalogueBody = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'The CLUES catalogue as published (.xlsx) or as .csv' } },
  },
};

const receivedFile = (req: Request) => (req as Request & { catalogue: ReceivedCatalogue }).catalogue;

@ApiTags('units')
@ApiBearerAuth()
@Controller('transfers')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Post(':stateCode/units/imports')
  @HttpCode(202)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @UseInterceptors(CatalogueUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody(catalogueBody)
  @ApiAcceptedResponse({ description: 'The import job: follow it at GET /api/jobs/{jobId}' })
  @ApiBadRequestResponse({ description: 'Not an .xlsx workbook / not a text CSV / no file' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than UNITS_IMPORT_MAX_BYTES (40 MB by default)' })
  importUnits(@Param('stateCode', StateCodePipe) stateCode: string, @Query() query: ImportUnitsQuery, @Req() req: Request) {
    return this.units.requestImport(stateCode, receivedFile(req), query.dryRun === 'true');
  }

  @Post('units/imports')
  @HttpCode(202)
  @Roles('federal-coordinator')
  @UseInterceptors(CatalogueUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody(catalogueBody)
  @ApiAcceptedResponse({ description: 'Import of the national catalogue (units of every state): the job id' })
  importNationalUnits(@Query() query: ImportUnitsQuery, @Req() req: Request) {
    return this.units.requestImport(null, receivedFile(req), query.dryRun === 'true');
  }

  @Get(':stateCode/units')
  @StateScope('stateCode')
  @ApiOkResponse({ description: '{ items, total, page, pageSize }, by CLUES' })
  list(@Param('stateCode', StateCodePipe) stateCode: string, @Query() query: ListUnitsQuery) {
    return this.units.list(stateCode, query);
  }

  @Post(':stateCode/units/bulk-status')
  @HttpCode(202)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @ApiAcceptedResponse({ description: 'The job moving the units; its result lists each unit’s outcome' })
  bulkStatus(@Param('stateCode', StateCodePipe) stateCode: string, @Body() body: BulkUnitStatusDto) {
    return this.units.requestBulkStatus(stateCode, body);
  }

  @Get(':stateCode/units/:clues')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'The unit, found by its current or previous CLUES' })
  get(@Param('stateCode', StateCodePipe) stateCode: string, @Param('clues', CluesPipe) clues: string) {
    return this.units.get(stateCode, clues);
  }

  @Post(':stateCode/units/:clues/status')
  @HttpCode(200)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'The unit after the move' })
  @ApiBadRequestResponse({ description: 'A malformed move, or DOCUMENT_NOT_FOUND: acta.documentSha256 names no stored document' })
  @ApiForbiddenResponse({ description: "The state is not one of the caller's, or DOCUMENT_OF_ANOTHER_STATE: acta.documentSha256 names no document of this state" })
  @ApiConflictResponse({ description: 'The lifecycle does not allow this move from the unit’s status' })
  changeStatus(
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Param('clues', CluesPipe) clues: string,
    @Body() body: ChangeUnitStatusDto,
  ) {
    return this.units.changeStatus(stateCode, clues, body);
  }
}
