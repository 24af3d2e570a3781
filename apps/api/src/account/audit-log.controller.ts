import { Controller, Get, Query } from '@nestjs/common';
import {
  auditLogQuery,
  AuditService,
  type AuditEventOutput,
  type AuditLogQuery,
} from '@intake/audit';
import { ApiKeyAuth, OwnerId, SessionAuth } from '@intake/auth';
import { ZodValidationPipe, type PageMeta } from '@intake/common';

type AuditLogPage = { data: AuditEventOutput[]; meta: PageMeta };

/** The owner's audit trail: the dashboard reads it with its session, scripts with a key. */
@Controller()
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get('account/audit-log')
  @SessionAuth()
  forSession(
    @OwnerId() ownerId: string,
    @Query(new ZodValidationPipe(auditLogQuery, 'query')) query: AuditLogQuery,
  ): Promise<AuditLogPage> {
    return this.audit.list(ownerId, query);
  }

  @Get('api/audit-log')
  @ApiKeyAuth('audit:read')
  forApiKey(
    @OwnerId() ownerId: string,
    @Query(new ZodValidationPipe(auditLogQuery, 'query')) query: AuditLogQuery,
  ): Promise<AuditLogPage> {
    return this.audit.list(ownerId, query);
  }
}
