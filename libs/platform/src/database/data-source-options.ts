import type { DataSourceOptions } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/** A service's schema: every entity and every migration, listed explicitly (no globs). */
export interface DatabaseSchema {
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  /** Largest number of pooled connections (default 10). */
  poolSize?: number;
}

/** Where and as whom to connect, on top of the schema. */
export interface DataSourceSettings extends DatabaseSchema {
  /** postgres://user[:password]@host:port/database */
  url: string;
  /** Shown in pg_stat_activity, e.g. the service name. */
  applicationName?: string;
}

/**
 * TypeORM options of a service's DataSource: schema changes only through migrations run at
 * deploy (`synchronize` and `migrationsRun` off), each migration in its own transaction.
 */
export function buildDataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName: settings.applicationName,
    poolSize: settings.poolSize ?? 10,
    logging: false,
  };
}
