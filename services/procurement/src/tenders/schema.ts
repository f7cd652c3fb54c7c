import { MigrationInterface } from 'typeorm';
import { CreateTender1765050000000 } from './migrations/1765050000000-create-tender';

/** Tables of the tender feature (added to the procurement database by ../schema.ts); read and written with SQL, so no entities. */
export const tendersSchema = {
  entities: [] as (new () => object)[],
  migrations: [CreateTender1765050000000] as (new () => MigrationInterface)[],
};
