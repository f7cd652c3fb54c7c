import { Module } from '@nestjs/common';
import { evidenceConfigProvider } from './evidence.config';
import { EvidenceController } from './evidence.controller';
import { EvidenceService } from './evidence.service';

/** Before/after photos of the works, checked against the unit's location. */
@Module({
  controllers: [EvidenceController],
  providers: [evidenceConfigProvider, EvidenceService],
})
export class EvidenceModule {}
