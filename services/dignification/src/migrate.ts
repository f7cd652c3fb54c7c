import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { dignificationSchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the dignification database's migrations.
// As MIGRATIONS_DATABASE_URL: the owner of the tables, not the role the service runs as.
const config = loadConfig(BaseConfig, process.env, { service: 'dignification', port: 3104 });
void runMigrationsCli(buildDataSourceOptions({ url: config.MIGRATIONS_DATABASE_URL, ...dignificationSchema }), process.argv.slice(2));
