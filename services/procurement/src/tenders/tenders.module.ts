import { Module } from '@nestjs/common';
import { xlsxLimitsProvider } from '@imb/platform';
import { BidsImportProcessor } from './bids-import.processor';
import { TenderEvaluationProcessor } from './evaluation.processor';
import { SuppliersController } from './suppliers.controller';
import { TendersController } from './tenders.controller';
import { TendersService } from './tenders.service';

/** The tender of an exercise: reference prices, bids, suppliers' records, evaluation and award. */
@Module({
  controllers: [TendersController, SuppliersController],
  providers: [xlsxLimitsProvider, TendersService, TenderEvaluationProcessor, BidsImportProcessor],
})
export class TendersModule {}
