import { MigrationInterface } from 'typeorm';
import { CreateContract1765060000000 } from './migrations/1765060000000-create-contract';

/** Tables of the contracts feature (added to the procurement database by ../schema.ts); read and written with SQL, so no entities. */
export const contractsSchema = {
  entities: [] as (new () => object)[],
  migrations: [CreateContract1765060000000] as (new () => MigrationInterface)[],
};
