import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { GatewayConfig } from './gateway.config';
import { HitLogStorage } from './hit-log-storage';

/**
 * One budget per client IP across every route (THROTTLE_LIMIT requests per THROTTLE_TTL_MS), 429
 * beyond it: a budget per route would give a client THROTTLE_LIMIT on each of hundreds of routes.
 * Probes are not counted. Hits are kept by {@link HitLogStorage}, at a constant cost per request.
 */
export function throttlerOptions(config: Pick<GatewayConfig, 'THROTTLE_LIMIT' | 'THROTTLE_TTL_MS'>): ThrottlerModuleOptions {
  return {
    throttlers: [{ ttl: config.THROTTLE_TTL_MS, limit: config.THROTTLE_LIMIT }],
    storage: new HitLogStorage(),
    // The client alone, in plain text (the library's default adds the route and hashes it with SHA-256).
    generateKey: (_context, tracker) => tracker,
    skipIf: (context) => /^\/(health|metrics)(\/|$)/.test(context.switchToHttp().getRequest<Request>().path ?? ''),
    errorMessage: `Too many requests: at most ${config.THROTTLE_LIMIT} per ${config.THROTTLE_TTL_MS / 1000} s from one client; wait a moment and try again.`,
  };
}

/** Rate limiting; imported before AuthModule so its guard runs first and a flood of bad tokens is limited too. */
@Module({
  imports: [ThrottlerModule.forRootAsync({ inject: [GatewayConfig], useFactory: throttlerOptions })],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
