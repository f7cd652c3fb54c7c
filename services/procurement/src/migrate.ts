import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { procurementSchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the procurement database's migrations.
// As MIGRATIONS_DATABASE_URL: the owner of the tables, not the role the service runs as.
const config = loadConfig(BaseConfig, process.env, { service: 'procurement', port: 3103 });
void runMigrationsCli(buildDataSourceOptions({ url: config.MIGRATIONS_DATABASE_URL, ...procurementSchema }), process.argv.slice(2));
