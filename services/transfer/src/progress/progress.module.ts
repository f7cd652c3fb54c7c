import { Module } from '@nestjs/common';
import { progressConfigProvider } from './progress.config';
import { ProgressController } from './progress.controller';
import { ProgressPublisher } from './progress.publisher';
import { ProgressService } from './progress.service';

/**
 * Transfer progress per state and for the country, on request and as
 * `transfer.progress-updated.v1` events. ProgressService is exported so the transfers list can
 * show each state's figures.
 */
@Module({
  controllers: [ProgressController],
  providers: [progressConfigProvider, ProgressService, ProgressPublisher],
  exports: [ProgressService],
})
export class ProgressModule {}
