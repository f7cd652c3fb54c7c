import { Module } from '@nestjs/common';
import { EnrollmentController } from './enrollment.controller';
import { TransferEventsConsumer } from './transfer-events.consumer';

/** States enrolled in the consolidated purchase, following the transfer service's events. */
@Module({ controllers: [EnrollmentController], providers: [TransferEventsConsumer] })
export class EnrollmentModule {}
