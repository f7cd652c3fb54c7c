import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { ChecklistService } from './checklist.service';
import { GateEventsConsumer } from './gate-events.consumer';
import { StageDefinitionsService } from './stage-definitions.service';

/**
 * The stage machine's data: versioned stage definitions, each transfer's checklists, and the
 * consumer that closes event items. Its HTTP routes are mounted by TransfersModule (route order).
 */
@Module({
  imports: [DocumentsModule],
  providers: [StageDefinitionsService, ChecklistService, GateEventsConsumer],
  exports: [StageDefinitionsService, ChecklistService],
})
export class StagesModule {}
