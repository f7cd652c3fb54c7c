import { BaseConfig, buildDataSourceOptions, loadConfig, runMigrationsCli } from '@imb/platform';
import { hrSchema } from './schema';

// node dist/migrate.js run|revert — applies (or reverts the last of) the hr database's migrations.
const config = loadConfig(BaseConfig, process.env, { service: 'hr', port: 3102 });
void runMigrationsCli(buildDataSourceOptions({ url: config.DATABASE_URL, ...hrSchema }), process.argv.slice(2));
