import { Module } from '@nestjs/common';
import { ProxyModule } from '../proxy/proxy.module';
import { JobStreamer } from './job-streamer';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** /api/jobs…: the merged listing, routing by job id, and job progress streams. */
@Module({ imports: [ProxyModule], controllers: [JobsController], providers: [JobsService, JobStreamer] })
export class JobsRoutingModule {}
