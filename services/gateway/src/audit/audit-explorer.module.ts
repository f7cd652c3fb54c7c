import { Module } from '@nestjs/common';
import { AuditAnchorsConsumer } from './audit-anchors.consumer';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/**
 * /api/audit…: the services' audit logs, routed or merged, and their chains verified against the
 * heads the gateway keeps (AuditAnchorsConsumer).
 */
@Module({ controllers: [AuditController], providers: [AuditService, AuditAnchorsConsumer], exports: [AuditService] })
export class AuditExplorerModule {}
