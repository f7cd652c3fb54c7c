import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { DocumentsModule } from './documents/documents.module';
import { ProgressModule } from './progress/progress.module';
import { StagesModule } from './stages/stages.module';
import { TransfersModule } from './transfers/transfers.module';
import { UnitsModule } from './units/units.module';
import { transferSchema } from './schema';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'transfer', port: 3101, database: transferSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'transfer' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => ({ service: 'transfer', connection: redisOptionsFromUrl(config.REDIS_URL) }),
    }),
    AuditModule,
    // Routes register in module order: the fixed paths /transfers/documents… and
    // /transfers/progress must come before TransfersModule's /transfers/:stateCode.
    DocumentsModule,
    ProgressModule,
    TransfersModule,
    StagesModule,
    UnitsModule,
  ],
})
export class AppModule {}
