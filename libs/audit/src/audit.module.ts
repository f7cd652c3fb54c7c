import { Module } from '@nestjs/common';
import { AuditAnchorPublisher, auditConfigProvider } from './audit-anchor-publisher';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/**
 * Provides {@link AuditService}, mounts `GET /audit` and `GET|POST /audit/verify`, and publishes
 * the chain's head periodically ({@link AuditAnchorPublisher}). Import it in a module where the
 * default TypeORM `DataSource`, the platform's options and the outbox are available.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditService, auditConfigProvider, AuditAnchorPublisher],
  exports: [AuditService],
})
export class AuditModule {}
