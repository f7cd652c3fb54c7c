import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/**
 * Provides {@link AuditService} and mounts `GET /audit` and `GET /audit/verify`. Import it in a
 * module where the default TypeORM `DataSource` is available.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
