import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

/**
 * Connection settings of the local PostgreSQL used by integration tests (superuser, trust auth),
 * read from PGHOST/PGPORT/PGUSER/PGPASSWORD when used, so a suite can point them at a server of
 * its own (the fault suite does).
 */
export const testPg = {
  get host(): string {
    return process.env.PGHOST ?? '127.0.0.1';
  },
  get port(): number {
    return Number(process.env.PGPORT ?? 5432);
  },
  get user(): string {
    return process.env.PGUSER ?? 'postgres';
  },
  get password(): string {
    return process.env.PGPASSWORD ?? '';
  },
};

/**
 * A client of the test server's `database`. A connection the server drops (a fault, a restart)
 * rejects the pending query, and pg also emits 'error' on the client: with no listener that event
 * would be an uncaught exception failing whichever test runs, so it is listened to here and the
 * error reaches the caller through the query alone.
 */
export function testClient(database: string): Client {
  const client = new Client({ ...testPg, database });
  client.on('error', () => undefined);
  return client;
}

/** Creates an empty database with a unique name; drop it with {@link dropDatabase}. */
export async function createDatabase(prefix: string): Promise<string> {
  const name = `t_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = testClient('postgres');
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return name;
}

/** Drops a test database, disconnecting whoever still holds it. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = testClient('postgres');
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface TestDataSourceOptions {
  /** Readable part of the database name. */
  name: string;
  entities?: MixedList<string | EntitySchema | (new () => unknown) | ((...args: unknown[]) => unknown)>;
  migrations?: DataSourceOptions['migrations'];
}

/** A fresh database with the given migrations applied (never `synchronize`), and its DataSource. */
export async function createTestDataSource(
  opts: TestDataSourceOptions,
): Promise<{ dataSource: DataSource; database: string; destroy: () => Promise<void> }> {
  const database = await createDatabase(opts.name);
  const dataSource = new DataSource({
    type: 'postgres',
    ...testPg,
    username: testPg.user,
    database,
    entities: opts.entities as DataSourceOptions['entities'],
    migrations: opts.migrations,
    synchronize: false,
    migrationsRun: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    database,
    destroy: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(database);
    },
  };
}
