import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { hrSchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the hr database's migrations.
// As MIGRATIONS_DATABASE_URL: the owner of the tables, not the role the service runs as.
const config = loadConfig(BaseConfig, process.env, { service: 'hr', port: 3102 });
void runMigrationsCli(buildDataSourceOptions({ url: config.MIGRATIONS_DATABASE_URL, ...hrSchema }), process.argv.slice(2));
