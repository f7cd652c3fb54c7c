import { Module } from '@nestjs/common';
import { AuthModule } from '@imb/auth';
import { MessagingModule } from '@imb/messaging';
import { PlatformModule } from '@imb/platform';
import { StatesModule } from '@imb/states';
import { gatewaySchema } from './schema';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', port: 3000, database: gatewaySchema, redis: false, kafka: true }),
    AuthModule.forRoot({ devTokenRoute: true }),
    // The gateway writes no events of its own; it only keeps read models.
    MessagingModule.forRoot({ service: 'gateway', relay: false }),
    StatesModule.forRoot({ service: 'gateway', path: 'overview/states' }),
  ],
})
export class AppModule {}
