import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { transferSchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the transfer database's migrations.
// As MIGRATIONS_DATABASE_URL: the owner of the tables, not the role the service runs as.
const config = loadConfig(BaseConfig, process.env, { service: 'transfer', port: 3101 });
void runMigrationsCli(buildDataSourceOptions({ url: config.MIGRATIONS_DATABASE_URL, ...transferSchema }), process.argv.slice(2));
