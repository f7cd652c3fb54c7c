import { All, Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Principal } from '@imb/auth';
import { ProxyService } from '../proxy/proxy.service';
import { streamOwner } from '../streams/sse';
import { Authorization } from '../upstreams/authorization.decorator';
import { JobStreamer } from './job-streamer';
import { ListJobsQuery } from './jobs.dto';
import { JobsService, JobSummary, MergedPage } from './jobs.service';

/** Jobs of every service: one merged listing, each job at its owning service, and live progress. */
@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly proxy: ProxyService,
    private readonly streamer: JobStreamer,
  ) {}

  @Get()
  @ApiOkResponse({
    description: "Every service's jobs, newest first; `unavailable` names services that could not answer",
  })
  list(
    @Query() query: ListJobsQuery,
    @Authorization() authorization?: string,
  ): Promise<MergedPage<JobSummary>> {
    return this.jobs.list(query, authorization);
  }

  /**
   * Server-sent events: `progress` with the job as its service shows it, now and whenever it
   * changes (the owning service is read about every 300 ms); the stream ends after the event
   * showing the job completed or failed.
   */
  @Get(':id/stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `progress` events carrying the job' })
  stream(
    @Param('id') id: string,
    @CurrentUser() user: Principal,
    @Authorization() authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    return this.streamer.stream(this.jobs.ownerOf(id), id, streamOwner(user.sub, authorization), authorization, res);
  }

  /** GET /api/jobs/{id}, /api/jobs/{id}/errors…: answered by the service the id names. */
  @All([':id', ':id/*path'])
  @ApiExcludeEndpoint()
  forward(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.proxy.forward(this.jobs.ownerOf(id), req, res);
  }
}
