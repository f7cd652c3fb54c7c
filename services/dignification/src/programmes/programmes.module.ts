import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { AllocationProcessor } from './allocation.processor';
import { ProgrammesController } from './programmes.controller';
import { ProgrammesService } from './programmes.service';

/** Annual programmes and the job that allocates their envelope to eligible units. */
@Module({
  imports: [UnitsModule],
  controllers: [ProgrammesController],
  providers: [ProgrammesService, AllocationProcessor],
})
export class ProgrammesModule {}
