import { AuditLogEntity, AuditMigrations } from '@imb/audit';
import { JobsEntities, JobsMigrations } from '@imb/jobs';
import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';
import { catalogueSchema } from './catalogue/schema';
import { consolidationSchema } from './consolidation/schema';
import { demandSchema } from './demand/schema';
import { enrollmentSchema } from './enrollment/schema';
import { exercisesSchema } from './exercises/schema';
import { contractsSchema } from './contracts/schema';
import { supplySchema } from './supply/schema';
import { tendersSchema } from './tenders/schema';

/** Every table of the procurement database: its entities and the migrations that create them, in order. */
export const procurementSchema = {
  entities: [
    StateSnapshot,
    AuditLogEntity,
    ...JobsEntities,
    ...exercisesSchema.entities,
    ...catalogueSchema.entities,
    ...demandSchema.entities,
    ...enrollmentSchema.entities,
    ...consolidationSchema.entities,
  ],
  migrations: [
    ...AuditMigrations,
    ...MessagingMigrations,
    ...JobsMigrations,
    ...StatesMigrations,
    ...exercisesSchema.migrations,
    ...catalogueSchema.migrations,
    ...demandSchema.migrations,
    ...enrollmentSchema.migrations,
    ...consolidationSchema.migrations,
    ...tendersSchema.migrations,
    ...contractsSchema.migrations,
    ...supplySchema.migrations,
  ],
};
