import type { DestinationStream } from 'pino';
import type { BaseConfig } from './config/base-config';
import type { DatabaseSchema } from './database/data-source-options';

/** Injection token of the {@link PlatformModuleOptions} a service booted with. */
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

/** What a service tells PlatformModule.forRoot about itself. */
export interface PlatformModuleOptions {
  /** Service name (transfer, hr, …): logs, metrics, default database and OpenAPI title. */
  service: string;
  /** Default PORT when the environment sets none. */
  port?: number;
  /** The service's config class (extends BaseConfig); injectable by this class and as BaseConfig. */
  config?: new () => BaseConfig;
  /** Environment to read the config from; process.env when absent (tests pass their own). */
  env?: Record<string, string | undefined>;
  /** The service's entities and migrations, or false for a service without a database. */
  database: DatabaseSchema | false;
  /** Whether GET /health checks Redis. */
  redis?: boolean;
  /** Whether GET /health checks Kafka. */
  kafka?: boolean;
  /** Per-check timeout of GET /health, in milliseconds (default 1500). */
  healthTimeoutMs?: number;
  /** Where JSON log lines go instead of stdout (tests read them from a stream). */
  logDestination?: DestinationStream;
}
