import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { documentsSchema } from './documents/schema';
import { CreateStateTransfer1764400000000 } from './migrations/1764400000000-create-state-transfer';
import { progressSchema } from './progress/schema';
import { stagesSchema } from './stages/schema';
import { StageChange, StateTransfer } from './transfers/state-transfer.entity';
import { unitsSchema } from './units/schema';

/** Every table of the transfer database: its entities and the migrations that create them, in order. */
export const transferSchema = {
  entities: [
    StateTransfer,
    StageChange,
    AuditLogEntity,
    ...JobsEntities,
    ...stagesSchema.entities,
    ...unitsSchema.entities,
    ...documentsSchema.entities,
    ...progressSchema.entities,
  ],
  migrations: [
    ...AuditMigrations,
    ...MessagingMigrations,
    ...JobsMigrations,
    CreateStateTransfer1764400000000,
    ...stagesSchema.migrations,
    ...unitsSchema.migrations,
    ...documentsSchema.migrations,
    ...progressSchema.migrations,
  ],
};
