import { JobsCreateTables1764200000000 } from './1764200000000-jobs-create-tables';
import { JobsStateCodes1765400000000 } from './1765400000000-jobs-state-codes';

export { JobsCreateTables1764200000000, JobsStateCodes1765400000000 };

/** The jobs library's migrations, in order; add them to each service DataSource's `migrations`. */
export const JobsMigrations = [JobsCreateTables1764200000000, JobsStateCodes1765400000000];
