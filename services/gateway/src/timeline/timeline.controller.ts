import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { PageQuery } from '../jobs/jobs.dto';
import type { MergedPage } from '../jobs/jobs.service';
import { DEFAULT_PAGE_SIZE } from '../merging/merge-pages';
import { Authorization } from '../upstreams/authorization.decorator';
import { TimelineItem } from './timeline-entry';
import { TimelineService } from './timeline.service';

@ApiTags('overview')
@Controller('overview/states/:stateCode/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  // The timeline is made of the services' audit records of the state, which only its own callers (or national roles) may read.
  @StateScope('stateCode')
  @ApiOkResponse({
    description:
      "`{items: [{at, service, kind: 'event'|'audit', type, summary, actor, entityId}], total, page, pageSize}` newest first",
  })
  get(
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Query() query: PageQuery,
    @Authorization() authorization?: string,
  ): Promise<MergedPage<TimelineItem>> {
    return this.timeline.page(stateCode, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE, authorization);
  }
}
