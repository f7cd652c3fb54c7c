import { MessagingMigrations } from '@imb/messaging';
import { StateSnapshot, StatesMigrations } from '@imb/states';
import { AuditAnchors1766100000000 } from './audit/migrations/1766100000000-audit-anchors';
import { CreateOverview1765200000000 } from './overview/migrations/1765200000000-create-overview';
import { OverviewProgrammes1765300000000 } from './overview/migrations/1765300000000-overview-programmes';
import { TimelineWithoutCurps1765400000000 } from './timeline/migrations/1765400000000-timeline-without-curps';

/** Tables of the gateway's own database: the read models it keeps from events (and the inbox). */
export const gatewaySchema = {
  entities: [StateSnapshot],
  migrations: [...MessagingMigrations, ...StatesMigrations, CreateOverview1765200000000, OverviewProgrammes1765300000000, TimelineWithoutCurps1765400000000, AuditAnchors1766100000000],
};
