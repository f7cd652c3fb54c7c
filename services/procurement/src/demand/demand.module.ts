import { Module } from '@nestjs/common';
import { xlsxLimitsProvider } from '@imb/platform';
import { AnnexUploadInterceptor } from './annex-upload.interceptor';
import { demandConfigProvider } from './demand.config';
import { DemandController } from './demand.controller';
import { DemandImportProcessor } from './demand-import.processor';
import { DemandService } from './demand.service';

/** Demand of an exercise: imports of the published annexes (as jobs) and their lines. */
@Module({
  controllers: [DemandController],
  providers: [demandConfigProvider, xlsxLimitsProvider, DemandService, DemandImportProcessor, AnnexUploadInterceptor],
})
export class DemandModule {}
