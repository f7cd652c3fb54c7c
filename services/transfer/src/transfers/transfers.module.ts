import { Module } from '@nestjs/common';
import { StageDefinitionsController } from '../stages/stage-definitions.controller';
import { StagesModule } from '../stages/stages.module';
import { TransfersController } from './transfers.controller';
import { TransfersService } from './transfers.service';

@Module({
  imports: [StagesModule],
  // Express matches routes in registration order: /transfers/stage-definitions must come
  // before /transfers/:stateCode, so both controllers are mounted here, in this order.
  controllers: [StageDefinitionsController, TransfersController],
  providers: [TransfersService],
})
export class TransfersModule {}
