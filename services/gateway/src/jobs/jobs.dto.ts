import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery as PlatformPageQuery } from '@imb/platform';
import { DEFAULT_PAGE_SIZE } from '../merging/merge-pages';

/** `?page=&pageSize=` of a merged listing. */
export class PageQuery extends PlatformPageQuery(DEFAULT_PAGE_SIZE) {}

const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

/** `GET /api/jobs?kind=&status=&page=&pageSize=`: every service's jobs, newest first. */
export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'units-import' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'kind must be a job kind such as units-import' })
  kind?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status?: (typeof JOB_STATUSES)[number];
}
