import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { dignificationSchema } from './schema';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'dignification', port: 3104, database: dignificationSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'dignification' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => ({ service: 'dignification', connection: redisOptionsFromUrl(config.REDIS_URL) }),
    }),
    AuditModule,
    StatesModule.forRoot({ service: 'dignification', path: 'dignification/states' }),
  ],
})
export class AppModule {}
