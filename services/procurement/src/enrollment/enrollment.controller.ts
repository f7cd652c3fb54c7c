import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@imb/auth';
import { stateByCode } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';
import { PROCUREMENT_READERS } from '../exercises/access';

@ApiTags('procurement enrollment')
@ApiBearerAuth()
@Controller('procurement/enrollments')
export class EnrollmentController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: '{ items: [{ stateCode, stateName, exerciseCode, enrolledAt }], total, page, pageSize }: states IMSS-BIENESTAR buys for' })
  async list(@Query() query: PageQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM enrollment`);
    const rows = await this.dataSource.query<{ stateCode: string; exerciseCode: string | null; enrolledAt: Date }[]>(
      `SELECT state_code AS "stateCode", exercise_code AS "exerciseCode", enrolled_at AS "enrolledAt"
         FROM enrollment ORDER BY state_code LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map((r) => ({ ...r, stateName: stateByCode(r.stateCode)?.name ?? r.stateCode })), total, page, pageSize };
  }
}
