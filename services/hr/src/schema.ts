import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';

/** Every table of the hr database: its entities and the migrations that create them, in order. */
export const hrSchema = {
  entities: [StateSnapshot, AuditLogEntity, ...JobsEntities],
  migrations: [...AuditMigrations, ...MessagingMigrations, ...JobsMigrations, ...StatesMigrations],
};
