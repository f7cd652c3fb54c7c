import { Module } from '@nestjs/common';
import { AuditModule } from '@imb/audit';
import { AuthModule } from '@imb/auth';
import { JobsModule } from '@imb/jobs';
import { MessagingModule } from '@imb/messaging';
import { BaseConfig, PlatformModule, redisOptionsFromUrl } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { procurementSchema } from './schema';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'procurement', port: 3103, database: procurementSchema, redis: true, kafka: true }),
    AuthModule.forRoot(),
    MessagingModule.forRoot({ service: 'procurement' }),
    JobsModule.forRootAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => ({ service: 'procurement', connection: redisOptionsFromUrl(config.REDIS_URL) }),
    }),
    AuditModule,
    StatesModule.forRoot({ service: 'procurement', path: 'procurement/states' }),
  ],
})
export class AppModule {}
