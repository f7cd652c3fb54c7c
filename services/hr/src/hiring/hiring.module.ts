import { Module } from '@nestjs/common';
import { HiringController } from './hiring.controller';
import { HiringService } from './hiring.service';
import { RosterEventsConsumer } from './roster-events.consumer';

/** Hiring targets and progress per state × category; progress is emitted when targets or rosters change. */
@Module({ controllers: [HiringController], providers: [HiringService, RosterEventsConsumer] })
export class HiringModule {}
