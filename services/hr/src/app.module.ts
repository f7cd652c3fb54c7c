import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule, rolesWithPersonalDataAccess } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { FormalizationModule } from './formalization/formalization.module';
import { HiringModule } from './hiring/hiring.module';
import { PostCodesModule } from './post-codes/post-codes.module';
import { PostsModule } from './posts/posts.module';
import { RostersModule } from './rosters/rosters.module';
import { hrSchema } from './schema';
import { UnitsModule } from './units/units.module';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'hr', port: 3102, database: hrSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'hr' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      // How soon a killed worker's job resumes: JOBS_LOCK_DURATION_MS / JOBS_STALLED_INTERVAL_MS.
      // Row errors quote CURPs: jobs are read by the roles the personal-data policy lets see a worker.
      useFactory: (config: BaseConfig) => ({
        service: 'hr',
        connection: redisOptionsFromUrl(config.REDIS_URL),
        jobReaders: rolesWithPersonalDataAccess('hr.jobs'),
      }),
    }),
    AuditModule,
    StatesModule.forRoot({ service: 'hr', path: 'hr/states' }),
    PostCodesModule,
    UnitsModule,
    RostersModule,
    PostsModule,
    HiringModule,
    FormalizationModule,
  ],
})
export class AppModule {}
