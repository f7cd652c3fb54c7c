import { Module } from '@nestjs/common';
import { WorksController } from './works.controller';
import { WorksService } from './works.service';

/** The works of each funded unit: expense booklet, assembly review, verification. */
@Module({
  controllers: [WorksController],
  providers: [WorksService],
})
export class WorksModule {}
