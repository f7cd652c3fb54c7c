import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { IntFromEnv, ListFromEnv } from './env-transforms';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Validates that a string is a URL whose scheme is one of `protocols` and that names a host. */
export function IsUrlWithProtocol(protocols: string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlWithProtocol',
      constraints: [protocols],
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return protocols.includes(url.protocol.replace(/:$/, '')) && url.hostname.length > 0;
          } catch {
            return false;
          }
        },
        defaultMessage: () => `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      },
    },
    options,
  );
}

/**
 * Settings every service needs, read from environment variables with defaults that work on a
 * developer's machine. Services extend this class with their own fields (each with a
 * class-validator decorator, which is also what makes `loadConfig` read it from the environment).
 */
export class BaseConfig {
  @IsIn(NODE_ENVS, { message: `expected one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  /** Port to listen on; 0 picks a free port (tests). The service's own default is passed to loadConfig. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number between 0 and 65535' })
  @Min(0, { message: 'expected a whole number between 0 and 65535' })
  @Max(65535, { message: 'expected a whole number between 0 and 65535' })
  PORT = 3000;

  /**
   * Address to listen on. Loopback by default: a service's /metrics and its API without the
   * gateway's limits must not be reachable from the network by accident; a container sets
   * 0.0.0.0 (infra/docker/Dockerfile) and is reached only on its own network.
   */
  @Matches(/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|[0-9A-Fa-f:.]+)$/, {
    message: 'expected a host name or IP address to listen on, e.g. 0.0.0.0 or 127.0.0.1',
  })
  HOST = '127.0.0.1';

  @IsUrlWithProtocol(['postgres', 'postgresql'], {
    message: 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  /**
   * Where `migrate.js` connects: a role that owns the tables, while DATABASE_URL may name one
   * that only reads and writes rows (infra/db/bootstrap.mjs). Unset, it is DATABASE_URL
   * (validateConfig fills it in).
   */
  @IsOptional()
  @IsUrlWithProtocol(['postgres', 'postgresql'], {
    message: 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/database',
  })
  MIGRATIONS_DATABASE_URL: string;

  @IsUrlWithProtocol(['redis', 'rediss'], { message: 'expected a Redis URL such as redis://127.0.0.1:6379' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @ListFromEnv()
  @IsArray({ message: 'expected a comma-separated list of host:port, e.g. 127.0.0.1:9092' })
  @ArrayNotEmpty({ message: 'expected at least one broker as host:port, e.g. 127.0.0.1:9092' })
  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}$/, {
    each: true,
    message: 'expected a comma-separated list of host:port, e.g. 127.0.0.1:9092,127.0.0.1:9093',
  })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  @IsIn(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Largest accepted JSON or form body, in the notation of body-parser (e.g. 512kb, 1mb). */
  @Matches(/^\d+(?:\.\d+)?(?:b|kb|mb)$/i, { message: 'expected a size such as 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  /** How long a shutdown waits for in-flight HTTP requests before closing their connections. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of milliseconds, 0 or more' })
  @Min(0, { message: 'expected a whole number of milliseconds, 0 or more' })
  SHUTDOWN_TIMEOUT_MS = 10000;
}

/** ioredis connection options from a redis:// URL (host, port, db index, password). */
export function redisOptionsFromUrl(url: string): { host: string; port: number; db: number; password?: string; username?: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.replace('/', '') || 0),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
  };
}
