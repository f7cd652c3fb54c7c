import { MigrationInterface } from 'typeorm';
import { CreateSupply1765070000000 } from './migrations/1765070000000-create-supply';

/** Tables of the supply feature (added to the procurement database by ../schema.ts); read and written with SQL, so no entities. */
export const supplySchema = {
  entities: [] as (new () => object)[],
  migrations: [CreateSupply1765070000000] as (new () => MigrationInterface)[],
};
