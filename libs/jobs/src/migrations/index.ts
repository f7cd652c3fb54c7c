import { JobsCreateTables1764200000000 } from './1764200000000-jobs-create-tables';

export { JobsCreateTables1764200000000 };

/** The jobs library's migrations, in order; add them to each service DataSource's `migrations`. */
export const JobsMigrations = [JobsCreateTables1764200000000];
