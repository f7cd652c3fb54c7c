import { MigrationInterface } from 'typeorm';
import { ChecklistItem } from './checklist-item.entity';
import { CreateStageDefinition1764410000000 } from './migrations/1764410000000-create-stage-definition';
import { StageDefinition } from './stage-definition.entity';

/** Tables of the stages feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const stagesSchema = {
  entities: [StageDefinition, ChecklistItem] as (new () => object)[],
  migrations: [CreateStageDefinition1764410000000] as (new () => MigrationInterface)[],
};
