import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  auditLogFilters,
  AuditLogExport,
  auditLogQuery,
  AuditService,
  type AuditEventOutput,
  type AuditLogFilters,
  type AuditLogQuery,
} from '@intake/audit';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { sendAttachment, ZodValidationPipe, type PageMeta } from '@intake/common';

/** The account's audit trail for scripts and SIEM collectors; the session twin is AuditLogController. */
@Controller('api/audit-log')
@ApiKeyAuth('audit:read')
export class ApiAuditLogController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: AuditLogExport,
  ) {}

  @Get()
  list(
    @OwnerId() ownerId: string,
    @Query(new ZodValidationPipe(auditLogQuery, 'query')) query: AuditLogQuery,
  ): Promise<{ data: AuditEventOutput[]; meta: PageMeta }> {
    return this.audit.list(ownerId, query);
  }

  @Get('export')
  async export(
    @OwnerId() ownerId: string,
    @Query(new ZodValidationPipe(auditLogFilters, 'query')) filters: AuditLogFilters,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    await sendAttachment(response, await this.exports.open(ownerId, filters, client));
  }
}
