import { Module } from '@nestjs/common';
import { UnitEventsConsumer } from './unit-events.consumer';

/** The read model of units (CLUES) fed by the transfer service. */
@Module({ providers: [UnitEventsConsumer] })
export class UnitsModule {}
