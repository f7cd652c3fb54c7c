import { Module } from '@nestjs/common';
import { CatalogueUploadInterceptor } from './catalogue-upload.interceptor';
import { unitsConfigProvider } from './units.config';
import { UnitsBulkStatusProcessor } from './units-bulk-status.processor';
import { UnitsController } from './units.controller';
import { UnitsImportProcessor } from './units-import.processor';
import { UnitsService } from './units.service';

/** Units (CLUES) of each state's transfer: catalogue imports, lifecycle, bulk moves. */
@Module({
  controllers: [UnitsController],
  providers: [unitsConfigProvider, UnitsService, UnitsImportProcessor, UnitsBulkStatusProcessor, CatalogueUploadInterceptor],
})
export class UnitsModule {}
