import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@imb/auth';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from '../exercises/access';
import { ExerciseCodePipe } from '../exercises/exercise-code.pipe';
import { writeCsv, writeXlsx } from './consolidation-export';
import { ConsolidationFilter } from './consolidation.dto';
import { ConsolidationService } from './consolidation.service';

@ApiTags('procurement consolidation')
@ApiBearerAuth()
@Controller('procurement/exercises')
export class ConsolidationController {
  constructor(private readonly consolidation: ConsolidationService) {}

  @Post(':code/consolidate')
  @HttpCode(202)
  @Roles(...PROCUREMENT_WRITERS)
  @ApiAcceptedResponse({ description: '{ jobId }: follow it at GET /api/jobs/{jobId}' })
  consolidate(@Param('code', ExerciseCodePipe) code: string) {
    return this.consolidation.request(code);
  }

  @Get(':code/consolidation')
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: '{ claves, institutions, totalMin, totalMax, items: [{ clave, description, min, max }], total, page, pageSize }' })
  @ApiConflictResponse({ description: 'Not consolidated yet' })
  get(@Param('code', ExerciseCodePipe) code: string, @Query() filter: ConsolidationFilter) {
    return this.consolidation.get(code, filter);
  }

  @Get(':code/consolidation/breakdown')
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: 'Per buyer, per institution and per state, with who buys for each' })
  breakdown(@Param('code', ExerciseCodePipe) code: string) {
    return this.consolidation.breakdown(code);
  }

  @Get(':code/consolidation.csv')
  @Roles(...PROCUREMENT_READERS)
  @ApiProduces('text/csv')
  async csv(@Param('code', ExerciseCodePipe) code: string, @Query() filter: ConsolidationFilter, @Res() res: Response) {
    const rows = this.consolidation.exportRows(code, filter);
    const first = await rows.next(); // fails (404/409) before any header is sent
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="consolidado-${code}${filter.stateCode ? `-${filter.stateCode}` : ''}.csv"`);
    await writeCsv(prepend(first, rows), res);
  }

  @Get(':code/consolidation.xlsx')
  @Roles(...PROCUREMENT_READERS)
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async xlsx(@Param('code', ExerciseCodePipe) code: string, @Query() filter: ConsolidationFilter, @Res() res: Response) {
    const rows = this.consolidation.exportRows(code, filter);
    const first = await rows.next();
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="consolidado-${code}${filter.stateCode ? `-${filter.stateCode}` : ''}.xlsx"`);
    await writeXlsx(prepend(first, rows), res, `Demanda consolidada ${code}${filter.stateCode ? ` — estado ${filter.stateCode}` : ''}`);
  }
}

async function* prepend<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
