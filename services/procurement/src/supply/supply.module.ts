import { Module } from '@nestjs/common';
import { SupplyReportsService } from './reports.service';
import { SupplyController } from './supply.controller';
import { SupplyService } from './supply.service';

/** Supply orders on open contracts, deliveries, penalties, fill rate and supplier compliance. */
@Module({
  controllers: [SupplyController],
  providers: [SupplyService, SupplyReportsService],
})
export class SupplyModule {}
