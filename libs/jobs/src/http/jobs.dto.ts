import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery as PlatformPageQuery } from '@imb/platform';
import { JOB_STATUSES, JobStatus } from '../job-record.entity';
import { DEFAULT_PAGE_SIZE } from '../pagination';

/** `?page=&pageSize=` of a jobs listing (a job's row errors). */
export class PageQuery extends PlatformPageQuery(DEFAULT_PAGE_SIZE) {}

/** `?kind=&status=&page=&pageSize=` of `GET /jobs`. */
export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'units-import' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'kind must be a job kind such as units-import' })
  kind?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;
}
