import { MigrationInterface } from 'typeorm';

/** Tables of the documents feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const documentsSchema = {
  entities: [] as (new () => object)[],
  migrations: [] as (new () => MigrationInterface)[],
};
