import { Module } from '@nestjs/common';
import { xlsxLimitsProvider } from '@imb/platform';
import { EligibilityProcessor } from './eligibility.processor';
import { formalizationConfigProvider } from './formalization.config';
import { FormalizationController } from './formalization.controller';
import { FormalizationService } from './formalization.service';
import { ListUploadInterceptor } from './list-upload.interceptor';
import { StepMovesProcessor } from './step-moves.processor';
import { UnitStatusConsumer } from './unit-status.consumer';

/** Formalization campaigns (basificación): lists, eligibility job, steps and appointments. */
@Module({
  controllers: [FormalizationController],
  providers: [formalizationConfigProvider, xlsxLimitsProvider, FormalizationService, EligibilityProcessor, StepMovesProcessor, ListUploadInterceptor, UnitStatusConsumer],
})
export class FormalizationModule {}
