import { MigrationInterface } from 'typeorm';
import { CreateConsolidation1765004000000 } from './migrations/1765004000000-create-consolidation';

/** Tables of the consolidation feature (added to the procurement database by ../schema.ts). */
export const consolidationSchema = {
  entities: [] as (new () => object)[],
  migrations: [CreateConsolidation1765004000000] as (new () => MigrationInterface)[],
};
