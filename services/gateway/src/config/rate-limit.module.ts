import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { GatewayConfig } from './gateway.config';
import { HitLogStorage } from './hit-log-storage';

/**
 * Rate limiting per client IP (THROTTLE_LIMIT requests per THROTTLE_TTL_MS): 429 beyond it.
 * Probes are not counted. Imported before AuthModule so its guard runs first and a flood of
 * bad tokens is limited too. Hits are kept by {@link HitLogStorage}, at a constant cost per request.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => ({
        throttlers: [{ ttl: config.THROTTLE_TTL_MS, limit: config.THROTTLE_LIMIT }],
        storage: new HitLogStorage(),
        // One log per client and route, keyed in plain text (the library's default hashes it with
        // SHA-256 on every request).
        generateKey: (context, tracker) =>
          `${context.getClass().name}.${context.getHandler().name}:${tracker}`,
        skipIf: (context) =>
          /^\/(health|metrics)(\/|$)/.test(context.switchToHttp().getRequest<Request>().path ?? ''),
        errorMessage: `Too many requests: at most ${config.THROTTLE_LIMIT} per ${config.THROTTLE_TTL_MS / 1000} s from one client; wait a moment and try again.`,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
