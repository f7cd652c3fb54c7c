import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { CatalogueModule } from './catalogue/catalogue.module';
import { ConsolidationModule } from './consolidation/consolidation.module';
import { DemandModule } from './demand/demand.module';
import { EnrollmentModule } from './enrollment/enrollment.module';
import { ExercisesModule } from './exercises/exercises.module';
import { ContractsModule } from './contracts/contracts.module';
import { procurementSchema } from './schema';
import { SupplyModule } from './supply/supply.module';
import { TendersModule } from './tenders/tenders.module';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'procurement', port: 3103, database: procurementSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'procurement' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => ({ service: 'procurement', connection: redisOptionsFromUrl(config.REDIS_URL), nationalJobReaders: ['procurement-officer'] }),
    }),
    AuditModule,
    StatesModule.forRoot({ service: 'procurement', path: 'procurement/states' }),
    CatalogueModule,
    ExercisesModule,
    DemandModule,
    ConsolidationModule,
    EnrollmentModule,
    TendersModule,
    ContractsModule,
    SupplyModule,
  ],
})
export class AppModule {}
