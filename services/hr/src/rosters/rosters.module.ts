import { Module } from '@nestjs/common';
import { xlsxLimitsProvider } from '@imb/platform';
import { hrConfigProvider } from './hr.config';
import { RosterImportProcessor } from './roster-import.processor';
import { RosterUploadInterceptor } from './roster-upload.interceptor';
import { RostersController } from './rosters.controller';
import { RostersService } from './rosters.service';

/** State rosters: payroll imports (workers, posts, contracts) and payroll federalization. */
@Module({
  controllers: [RostersController],
  providers: [hrConfigProvider, xlsxLimitsProvider, RostersService, RosterImportProcessor, RosterUploadInterceptor],
})
export class RostersModule {}
