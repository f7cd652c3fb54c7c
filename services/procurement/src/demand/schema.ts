import { MigrationInterface } from 'typeorm';
import { DemandLine } from './demand-line.entity';
import { CreateDemandLine1765002000000 } from './migrations/1765002000000-create-demand-line';
import { CreateDemandInstitution1765002500000 } from './migrations/1765002500000-create-demand-institution';
import { DemandLineExerciseCheckedByImports1765071000000 } from './migrations/1765071000000-demand-line-exercise-checked-by-imports';

/** Tables of the demand feature (added to the procurement database by ../schema.ts). */
export const demandSchema = {
  entities: [DemandLine] as (new () => object)[],
  migrations: [
    CreateDemandLine1765002000000,
    CreateDemandInstitution1765002500000,
    DemandLineExerciseCheckedByImports1765071000000,
  ] as (new () => MigrationInterface)[],
};
