import { MigrationInterface } from 'typeorm';

/** Tables of the stages feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const stagesSchema = {
  entities: [] as (new () => object)[],
  migrations: [] as (new () => MigrationInterface)[],
};
