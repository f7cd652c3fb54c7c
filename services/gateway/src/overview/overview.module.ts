import { Module } from '@nestjs/common';
import { AuditExplorerModule } from '../audit/audit-explorer.module';
import { TimelineController } from '../timeline/timeline.controller';
import { TimelineService } from '../timeline/timeline.service';
import { OverviewChanges } from './overview-changes';
import { OverviewConsumer } from './overview.consumer';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';
import { OverviewStream } from './overview-stream';

/** The national overview and the states' timelines, kept from events in the gateway's database. */
@Module({
  imports: [AuditExplorerModule],
  controllers: [OverviewController, TimelineController],
  providers: [OverviewChanges, OverviewConsumer, OverviewService, OverviewStream, TimelineService],
})
export class OverviewModule {}
