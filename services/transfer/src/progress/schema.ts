import { MigrationInterface } from 'typeorm';
import { CreateStateProgress1764470000000 } from './migrations/1764470000000-create-state-progress';
import { StateProgressSnapshot } from './state-progress.entity';

/** Tables of the progress feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const progressSchema = {
  entities: [StateProgressSnapshot] as (new () => object)[],
  migrations: [CreateStateProgress1764470000000] as (new () => MigrationInterface)[],
};
