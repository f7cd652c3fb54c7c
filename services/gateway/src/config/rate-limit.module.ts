import { INestApplication, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ThrottlerGuard, ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, RequestHandler } from 'express';
import { currentCorrelationId } from '@imb/contracts';
import { toErrorResponse } from '@imb/platform';
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

// The controller and handler the guard reads per-route overrides from: Swagger's routes have none.
class OpenApiDocuments {}
function serveOpenApiDocument(): void {}

/**
 * The rate limit for what Express serves outside Nest's routing — Swagger's /api/docs (UI and
 * assets), /api/docs-json and /api/docs-yaml, where no global guard runs: the same guard on the
 * same per-client budget as every route, answering 429 in the platform's error shape. Give it to
 * the OpenAPI setup as its `middleware`.
 */
export function rateLimitOutsideNest(app: INestApplication): RequestHandler {
  const guard = app.get(ThrottlerGuard);
  return (req, res, next) => {
    const context = new ExecutionContextHost([req, res, next], OpenApiDocuments, serveOpenApiDocument);
    guard.canActivate(context).then(
      () => next(),
      (err: unknown) => {
        const { body } = toErrorResponse(err, currentCorrelationId());
        res.status(body.statusCode).json(body);
      },
    );
  };
}

/** Rate limiting; imported before AuthModule so its guard runs first and a flood of bad tokens is limited too. */
@Module({
  imports: [ThrottlerModule.forRootAsync({ inject: [GatewayConfig], useFactory: throttlerOptions })],
  // One guard instance for the routes (APP_GUARD) and for rateLimitOutsideNest.
  providers: [ThrottlerGuard, { provide: APP_GUARD, useExisting: ThrottlerGuard }],
})
export class RateLimitModule {}
