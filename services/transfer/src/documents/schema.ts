import { MigrationInterface } from 'typeorm';
import { EvidenceDocument } from './evidence-document.entity';
import { CreateDocument1764460000000 } from './migrations/1764460000000-create-document';

/** Tables of the documents feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const documentsSchema = {
  entities: [EvidenceDocument] as (new () => object)[],
  migrations: [CreateDocument1764460000000] as (new () => MigrationInterface)[],
};
