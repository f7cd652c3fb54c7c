import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { CommitteesModule } from './committees/committees.module';
import { EvidenceModule } from './evidence/evidence.module';
import { DisbursementsModule } from './disbursements/disbursements.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ReportsModule } from './reports/reports.module';
import { dignificationSchema } from './schema';
import { WorksModule } from './works/works.module';
import { UnitsModule } from './units/units.module';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'dignification', port: 3104, database: dignificationSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'dignification' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      // How soon a killed worker's job resumes: JOBS_LOCK_DURATION_MS / JOBS_STALLED_INTERVAL_MS.
      useFactory: (config: BaseConfig) => ({ service: 'dignification', connection: redisOptionsFromUrl(config.REDIS_URL), nationalJobReaders: ['dignification-officer'] }),
    }),
    AuditModule,
    StatesModule.forRoot({ service: 'dignification', path: 'dignification/states' }),
    UnitsModule,
    ProgrammesModule,
    DisbursementsModule,
    CommitteesModule,
    EvidenceModule,
    WorksModule,
    ReportsModule,
  ],
})
export class AppModule {}
