import { MigrationInterface } from 'typeorm';
import { CreateUnit1764420000000 } from './migrations/1764420000000-create-unit';
import { Unit } from './unit.entity';

/** Tables of the units feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const unitsSchema = {
  entities: [Unit] as (new () => object)[],
  migrations: [CreateUnit1764420000000] as (new () => MigrationInterface)[],
};
