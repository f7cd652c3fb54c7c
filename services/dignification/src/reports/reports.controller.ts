import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentUser, Principal, StateScope } from '@imb/auth';
import { DomainError } from '@imb/platform';
import { readScope } from '../units/scope';
import { figures, national, ReportRow, toCsv } from './report-figures';

class ReportQuery {
  @ApiPropertyOptional({ example: '13' })
  @IsOptional()
  @Matches(/^(0[1-9]|[12]\d|3[0-2])$/, { message: 'stateCode must be an INEGI state code, 01 to 32' })
  stateCode?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A programme's figures per state and for the country: units funded, funds delivered, projects completed, flagged evidence. */
@ApiTags('dignification reports')
@ApiBearerAuth()
@Controller('dignification/programmes/:id/report')
export class ReportsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ states: [...], national } as JSON, or the same as CSV with ?format=csv' })
  async report(@Param('id') id: string, @Query() query: ReportQuery, @CurrentUser() user: Principal, @Res({ passthrough: true }) res: Response) {
    if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not a programme id (a UUID)`, 400);
    const scope = readScope(user, query.stateCode);
    const [programme] = await this.dataSource.query<{ year: number }[]>(`SELECT year FROM programme WHERE id = $1`, [id]);
    if (!programme) throw new DomainError('PROGRAMME_NOT_FOUND', `No programme ${id}`, 404);
    const raw = await this.dataSource.query<{ state_code: string; units: number; allocated: string; disbursed: string; fully_paid: number; evidence: number; flagged: number; completed: number }[]>(
      `SELECT a.state_code, count(*)::int AS units, sum(a.amount) AS allocated, sum(a.disbursed) AS disbursed,
              count(*) FILTER (WHERE a.disbursed = a.amount)::int AS fully_paid,
              coalesce(sum(e.n), 0)::int AS evidence, coalesce(sum(e.flagged), 0)::int AS flagged,
              count(p.completed_at)::int AS completed
         FROM allocation a
         LEFT JOIN project p ON p.allocation_id = a.id
         LEFT JOIN (SELECT allocation_id, count(*) AS n, count(*) FILTER (WHERE flag_reason IS NOT NULL) AS flagged FROM evidence GROUP BY allocation_id) e
           ON e.allocation_id = a.id
        WHERE a.programme_id = $1 AND ($2::char(2) IS NULL OR a.state_code = $2)
        GROUP BY a.state_code ORDER BY a.state_code`,
      [id, scope],
    );
    const rows: ReportRow[] = raw.map((r) => ({
      stateCode: r.state_code,
      unitsFunded: r.units,
      allocated: Number(r.allocated),
      disbursed: Number(r.disbursed),
      unitsFullyPaid: r.fully_paid,
      evidence: r.evidence,
      flaggedEvidence: r.flagged,
      projectsCompleted: r.completed,
    }));
    const states = rows.map((r) => ({ stateCode: r.stateCode, ...figures(r) }));
    const total = national(rows);
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="dignificacion-${programme.year}${scope ? `-${scope}` : ''}.csv"`);
      return toCsv(states, total);
    }
    return { programmeId: id, year: programme.year, stateCode: scope, states, national: total };
  }
}
