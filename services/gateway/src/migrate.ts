import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { gatewaySchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the gateway database's migrations.
// As MIGRATIONS_DATABASE_URL: the owner of the tables, not the role the service runs as.
const config = loadConfig(BaseConfig, process.env, { service: 'gateway', port: 3000 });
void runMigrationsCli(buildDataSourceOptions({ url: config.MIGRATIONS_DATABASE_URL, ...gatewaySchema }), process.argv.slice(2));
