import { Module } from '@nestjs/common';
import { xlsxLimitsProvider } from '@imb/platform';
import { DocumentsModule } from '../documents/documents.module';
import { CatalogueUploadInterceptor } from './catalogue-upload.interceptor';
import { orphanedImportsConfigProvider, OrphanedImportsSweeper } from './orphaned-imports';
import { unitsConfigProvider } from './units.config';
import { UnitsBulkStatusProcessor } from './units-bulk-status.processor';
import { UnitsController } from './units.controller';
import { UnitsImportProcessor } from './units-import.processor';
import { UnitsService } from './units.service';

/** Units (CLUES) of each state's transfer: catalogue imports, lifecycle, bulk moves. */
@Module({
  imports: [DocumentsModule],
  controllers: [UnitsController],
  providers: [
    unitsConfigProvider,
    xlsxLimitsProvider,
    UnitsService,
    UnitsImportProcessor,
    UnitsBulkStatusProcessor,
    CatalogueUploadInterceptor,
    orphanedImportsConfigProvider,
    OrphanedImportsSweeper,
  ],
})
export class UnitsModule {}
