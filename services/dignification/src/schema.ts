import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';
import { CreateCommittee1764530000000 } from './committees/migrations/1764530000000-create-committee';
import { CreateDisbursement1764520000000 } from './disbursements/migrations/1764520000000-create-disbursement';
import { CreateProgramme1764510000000 } from './programmes/migrations/1764510000000-create-programme';
import { CreateEvidence1764540000000 } from './evidence/migrations/1764540000000-create-evidence';
import { EvidencePhotoFile1764560000000 } from './evidence/migrations/1764560000000-evidence-photo-file';
import { CreateEligibleUnit1764500000000 } from './units/migrations/1764500000000-create-eligible-unit';
import { CreateWorks1764550000000 } from './works/migrations/1764550000000-create-works';

/**
 * Every table of the dignification database: its entities and the migrations that create them, in
 * order. The features' own tables are read and written with SQL (set-based upserts of thousands of
 * rows), so they have migrations and no entities.
 */
export const dignificationSchema = {
  entities: [StateSnapshot, AuditLogEntity, ...JobsEntities],
  migrations: [
    ...AuditMigrations,
    ...MessagingMigrations,
    ...JobsMigrations,
    ...StatesMigrations,
    CreateEligibleUnit1764500000000,
    CreateProgramme1764510000000,
    CreateDisbursement1764520000000,
    CreateCommittee1764530000000,
    CreateEvidence1764540000000,
    CreateWorks1764550000000,
    EvidencePhotoFile1764560000000,
  ],
};
