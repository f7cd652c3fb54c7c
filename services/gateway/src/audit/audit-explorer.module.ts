import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** /api/audit…: the services' audit logs, routed or merged, and their chains verified. */
@Module({ controllers: [AuditController], providers: [AuditService], exports: [AuditService] })
export class AuditExplorerModule {}
