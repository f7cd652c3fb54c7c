import { MigrationInterface } from 'typeorm';

/** Tables of the units feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const unitsSchema = {
  entities: [] as (new () => object)[],
  migrations: [] as (new () => MigrationInterface)[],
};
