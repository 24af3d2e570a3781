import { Global, Module } from '@nestjs/common';
import { AuditLogExport } from './audit-log-export.service';
import { AuditMaintenance } from './audit-maintenance.service';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [AuditRepository, AuditService, AuditLogExport, AuditMaintenance],
  exports: [AuditService, AuditLogExport, AuditMaintenance],
})
export class AuditModule {}
