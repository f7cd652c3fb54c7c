import { DataSource, DataSourceOptions, MigrationExecutor } from 'typeorm';
import { readOnlyMigrationsTable } from './table-privileges';

const USAGE = 'usage: migrate [run|revert]   run applies every pending migration; revert undoes the last one';

/** Where the CLI writes; tests pass their own. */
export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Body of a service's `src/migrate.ts`: `run` (default) applies pending migrations, `revert`
 * undoes the last one; either way the runtime role is left only reading the `migrations` table.
 * Resolves to the exit status and sets `process.exitCode` to it.
 */
export async function runMigrationsCli(
  options: DataSourceOptions,
  argv: readonly string[] = process.argv.slice(2),
  output: CliOutput = processOutput,
): Promise<number> {
  const command = argv[0] ?? 'run';
  if (command !== 'run' && command !== 'revert') {
    output.err(`Unknown command "${command}". ${USAGE}`);
    return (process.exitCode = 2);
  }
  const dataSource = new DataSource({ ...options, synchronize: false, migrationsRun: false });
  try {
    await dataSource.initialize();
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      output.out(
        applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'no pending migrations',
      );
    } else {
      const executed = await new MigrationExecutor(dataSource).getExecutedMigrations();
      if (executed.length === 0) {
        output.out('no migration to revert');
      } else {
        await dataSource.undoLastMigration({ transaction: 'each' });
        output.out(`reverted ${executed[0].name}`);
      }
    }
    const runner = dataSource.createQueryRunner();
    try {
      await readOnlyMigrationsTable(runner);
    } finally {
      await runner.release();
    }
    return (process.exitCode = 0);
  } catch (err) {
    output.err(
      `migrate ${command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return (process.exitCode = 1);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
