import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';

/** Tables of the gateway's own database: the read models it keeps from events (and the inbox). */
export const gatewaySchema = {
  entities: [StateSnapshot],
  migrations: [...MessagingMigrations, ...StatesMigrations],
};
