import { MigrationInterface } from 'typeorm';
import { EvidenceDocument } from './evidence-document.entity';
import { CreateDocument1764460000000 } from './migrations/1764460000000-create-document';
import { DocumentStateCode1765431000000 } from './migrations/1765431000000-document-state-code';

/** Tables of the documents feature: entities and migrations (added to the transfer database by ../schema.ts). */
export const documentsSchema = {
  entities: [EvidenceDocument] as (new () => object)[],
  migrations: [CreateDocument1764460000000, DocumentStateCode1765431000000] as (new () => MigrationInterface)[],
};
