import {
  DynamicModule,
  INestApplication,
  INestApplicationContext,
  Logger as NestLogger,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet, { HelmetOptions } from 'helmet';
import { Logger } from 'nestjs-pino';
import { BaseConfig } from './config/base-config';
import { correlationMiddleware } from './context/correlation.middleware';
import { bodyDepthLimit } from './http/body-depth';
import { bodyParserErrors } from './http/body-parser-errors';
import { OpenApiOptions, setupOpenApi } from './http/openapi';
import { httpMetricsMiddleware } from './metrics/metrics';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from './platform-options';

// Services speak plain HTTP behind the gateway or an ingress that terminates TLS; asking browsers
// to upgrade every sub-request to https would break Swagger UI and the dashboard on such hosts.
const DEFAULT_HELMET: HelmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/** HTTP settings applied on top of PlatformModule. */
export interface PlatformAppOptions {
  /** OpenAPI title and description (default: the service name), or false for no /api/docs. */
  openApi?: Partial<OpenApiOptions> | false;
  /** Helmet settings, e.g. a content security policy for a web dashboard. */
  helmet?: HelmetOptions;
}

/**
 * Applies the platform's HTTP layer to an app whose module imports PlatformModule: pino logger,
 * correlation id, request metrics, helmet, body size limits and OpenAPI. Call before `init`/`listen`
 * (tests call it on the app from `Test.createTestingModule`).
 */
export function configurePlatformApp(app: INestApplication, options: PlatformAppOptions = {}): void {
  const config = app.get(BaseConfig);
  const platform = app.get<PlatformModuleOptions>(PLATFORM_OPTIONS);
  const express = app as NestExpressApplication;
  app.useLogger(app.get(Logger));
  // Registered before Nest's own routes and middleware, so everything runs inside the context.
  app.use(correlationMiddleware);
  app.use(httpMetricsMiddleware);
  app.use(helmet(options.helmet ?? DEFAULT_HELMET));
  express.useBodyParser('json', { limit: config.BODY_LIMIT });
  express.useBodyParser('urlencoded', { limit: config.BODY_LIMIT, extended: true });
  app.use(bodyParserErrors);
  app.use(bodyDepthLimit);
  // Every route lives under /api (as the gateway exposes it), except the probes.
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  if (options.openApi !== false) {
    setupOpenApi(app, { title: platform.service, ...options.openApi });
  }
}

/** What a service's main.ts passes to {@link bootstrapService}. */
export interface BootstrapOptions extends PlatformAppOptions {
  /** The root module; it imports PlatformModule.forRoot(...). */
  module: Type<unknown> | DynamicModule;
}

/**
 * Creates, configures and starts a service: listens on HOST:PORT, shuts down gracefully on
 * SIGTERM/SIGINT through Nest lifecycle hooks, and exits with status 1 if it cannot start.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(options.module, {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    });
    configurePlatformApp(app, options);
    // Exit with status 0 once every hook has run (instead of re-raising the signal) so pino flushes.
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    const config = app.get(BaseConfig);
    const { service } = app.get<PlatformModuleOptions>(PLATFORM_OPTIONS);
    await app.listen(config.PORT, config.HOST);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    app.get(Logger).log(`${service} listening on ${url} (OpenAPI at ${url}/api/docs)`, 'Bootstrap');
    return app;
  } catch (err) {
    return failedToStart(err, app);
  }
}

/** What a worker entrypoint (queue processors, consumers; no HTTP) passes to {@link bootstrapWorker}. */
export interface WorkerBootstrapOptions {
  /** The worker's root module; it imports PlatformModule.forRoot(...). */
  module: Type<unknown> | DynamicModule;
}

/**
 * Starts a service's worker process: the same modules, config, logger and lifecycle hooks as the
 * API process, without an HTTP server. Shuts down gracefully on SIGTERM/SIGINT.
 */
export async function bootstrapWorker(options: WorkerBootstrapOptions): Promise<INestApplicationContext> {
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(options.module, {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    await app.init();
    const { service } = app.get<PlatformModuleOptions>(PLATFORM_OPTIONS);
    app.get(Logger).log(`${service} worker started`, 'Bootstrap');
    return app;
  } catch (err) {
    return failedToStart(err, app);
  }
}

async function failedToStart(err: unknown, app: INestApplicationContext | undefined): Promise<never> {
  NestLogger.flush();
  process.stderr.write(
    `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  await app?.close().catch(() => undefined);
  return process.exit(1);
}
