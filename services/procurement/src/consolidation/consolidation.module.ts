import { Module } from '@nestjs/common';
import { ConsolidationController } from './consolidation.controller';
import { ConsolidationProcessor } from './consolidation.processor';
import { ConsolidationService } from './consolidation.service';

/** National consolidation of an exercise's demand (a job), its figures and exports. */
@Module({
  controllers: [ConsolidationController],
  providers: [ConsolidationService, ConsolidationProcessor],
})
export class ConsolidationModule {}
