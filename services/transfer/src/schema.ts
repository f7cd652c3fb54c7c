import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { CreateStateTransfer1764400000000 } from './migrations/1764400000000-create-state-transfer';
import { StageChange, StateTransfer } from './transfers/state-transfer.entity';

/** Every table of the transfer database: its entities and the migrations that create them, in order. */
export const transferSchema = {
  entities: [StateTransfer, StageChange, AuditLogEntity, ...JobsEntities],
  migrations: [...AuditMigrations, ...MessagingMigrations, ...JobsMigrations, CreateStateTransfer1764400000000],
};
