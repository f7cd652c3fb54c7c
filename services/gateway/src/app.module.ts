import { Module } from '@nestjs/common';
import { AuthModule } from '@imb/auth';
import { MessagingModule } from '@imb/messaging';
import { PlatformModule } from '@imb/platform';
import { AuditExplorerModule } from './audit/audit-explorer.module';
import { GatewayConfig } from './config/gateway.config';
import { RateLimitModule } from './config/rate-limit.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { JobsRoutingModule } from './jobs/jobs-routing.module';
import { MeModule } from './me/me.module';
import { OverviewModule } from './overview/overview.module';
import { ProxyModule } from './proxy/proxy.module';
import { gatewaySchema } from './schema';
import { StreamsModule } from './streams/streams.module';
import { UpstreamsModule } from './upstreams/upstreams.module';
import { WebAppModule } from './web-app/web-app.module';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'gateway',
      port: 3000,
      config: GatewayConfig,
      database: gatewaySchema,
      redis: false,
      kafka: true,
    }),
    RateLimitModule,
    AuthModule.forRoot({ devTokenRoute: true }),
    // The gateway writes no events of its own; it only keeps read models.
    MessagingModule.forRoot({ service: 'gateway', relay: false }),
    UpstreamsModule,
    StreamsModule,
    MeModule,
    OverviewModule,
    JobsRoutingModule,
    AuditExplorerModule,
    ProxyModule,
    WebAppModule,
    DashboardModule,
  ],
})
export class AppModule {}
