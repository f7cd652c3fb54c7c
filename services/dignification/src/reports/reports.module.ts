import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

/** Programme reports per state and nationally, as JSON or CSV. */
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
