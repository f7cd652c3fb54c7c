import { Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '@imb/auth';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { ExerciseCodePipe } from '../exercises/exercise-code.pipe';
import { AnnexUploadInterceptor, ReceivedAnnex } from './annex-upload.interceptor';
import { ImportDemandQuery, ListDemandQuery } from './demand.dto';
import { DemandService } from './demand.service';

@ApiTags('procurement demand')
@ApiBearerAuth()
@Controller('procurement/exercises')
export class DemandController {
  constructor(private readonly demand: DemandService) {}

  @Post(':code/demand/imports')
  @HttpCode(202)
  @Roles(...PROCUREMENT_WRITERS)
  @UseInterceptors(AnnexUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The demand annex as published (.xlsx)' },
        mapping: {
          type: 'string',
          description:
            'Optional JSON column mapping for a layout the importer does not recognise: { headerRow, clave, description?, cucop?, unit?, institutions: [{ name, min, max, stateCode? }], totals?: { min, max } }; columns as letters ("DV") or numbers from 1',
        },
      },
    },
  })
  @ApiAcceptedResponse({ description: '{ jobId }: follow it at GET /api/jobs/{jobId} (progress, per-row errors, result)' })
  @ApiBadRequestResponse({ description: 'Not an .xlsx workbook, no file, or an invalid mapping' })
  import(@Param('code', ExerciseCodePipe) code: string, @Query() query: ImportDemandQuery, @Req() req: Request) {
    return this.demand.requestImport(code, (req as Request & { annex: ReceivedAnnex }).annex, query.dryRun === 'true');
  }

  @Get(':code/demand')
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: '{ items: [{ clave, institution, stateCode, min, max }], total, page, pageSize }' })
  lines(@Param('code', ExerciseCodePipe) code: string, @Query() query: ListDemandQuery) {
    return this.demand.lines(code, query);
  }

  @Get(':code/demand/institutions')
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: 'Institutions of the demand with their MIN/MAX totals' })
  institutions(@Param('code', ExerciseCodePipe) code: string) {
    return this.demand.institutions(code);
  }
}
