import { Module } from '@nestjs/common';
import { rulesProvider, RulesInForce } from './rules.config';
import { UnitEventsConsumer } from './unit-events.consumer';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

/** The units the programme may fund, kept from transfer's unit events, and the rules that classify them. */
@Module({
  controllers: [UnitsController],
  providers: [rulesProvider, UnitEventsConsumer, UnitsService],
  exports: [RulesInForce],
})
export class UnitsModule {}
