import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { StateCodePipe, StateSnapshot } from '@imb/states';
import { CurrentUser, Principal } from '@imb/auth';
import { GatewayConfig } from '../config/gateway.config';
import { openSse, streamOwner } from '../streams/sse';
import { OverviewService } from './overview.service';
import { OverviewStream } from './overview-stream';

/** The national overview, built from events only, and its change stream. Readable by every role. */
@ApiTags('overview')
@Controller('overview')
export class OverviewController {
  constructor(
    private readonly overview: OverviewService,
    private readonly stream: OverviewStream,
    private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiProduces('application/json')
  @ApiOkResponse({
    description:
      '`{ asOf: {transfer, hr, procurement, dignification}, states: [32 × { stateCode, stateName, stage, stageSince, daysInStage, units, hiring, formalized, fillRate, dignification }] }`',
  })
  async get(@Res() res: Response): Promise<void> {
    const { body, etag } = await this.overview.current();
    // The bytes and tag of the build: a read encodes and hashes nothing, and with the tag set
    // Express answers 304 to a matching If-None-Match.
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', etag);
    res.send(body);
  }

  /** Server-sent events: `overview` whenever the read model changes (data `{stateCode}` or `{}`), so the dashboard refetches. */
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `overview` events' })
  subscribe(@CurrentUser() user: Principal, @Headers('authorization') authorization: string | undefined, @Res() res: Response): void {
    this.stream.add(openSse(res, streamOwner(user.sub, authorization), this.config.SSE_MAX_PER_IDENTITY));
  }

  /** Every state's stage as the gateway last heard it (the `state` read model of @imb/states). */
  @Get('states')
  states(): Promise<StateSnapshot[]> {
    return this.dataSource.getRepository(StateSnapshot).find({ order: { stateCode: 'ASC' } });
  }

  @Get('states/:stateCode')
  async state(@Param('stateCode', StateCodePipe) stateCode: string) {
    return (
      (await this.dataSource.getRepository(StateSnapshot).findOneBy({ stateCode })) ?? {
        stateCode,
        stage: null,
        note: 'no stage-changed event received yet',
      }
    );
  }
}
