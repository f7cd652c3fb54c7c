import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';
import { CreateFormalization1764600000000 } from './formalization/migrations/1764600000000-create-formalization';
import { FormalizationAnalyzeFunction1766100000000 } from './formalization/migrations/1766100000000-formalization-analyze-function';
import { CreateHr1764500000000 } from './migrations/1764500000000-create-hr';

/** Every table of the hr database: its entities and the migrations that create them, in order. */
export const hrSchema = {
  entities: [StateSnapshot, AuditLogEntity, ...JobsEntities],
  migrations: [...AuditMigrations, ...MessagingMigrations, ...JobsMigrations, ...StatesMigrations, CreateHr1764500000000, CreateFormalization1764600000000, FormalizationAnalyzeFunction1766100000000],
};
