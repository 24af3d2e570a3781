import { Controller, Get, Injectable, Query, Res } from '@nestjs/common';
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
import { ApiKeyAuth, Client, OwnerId, SessionAuth, type ClientContext } from '@intake/auth';
import { sendAttachment, ZodValidationPipe, type PageMeta } from '@intake/common';

/**
 * The account's audit trail: a page of entries and the NDJSON export. One set of handlers
 * behind two doors, the dashboard session and an `audit:read` API key; each subclass says
 * which. (@Injectable makes the compiler record the constructor's types, which the
 * subclasses inherit for injection.)
 */
@Injectable()
abstract class AuditLogRoutes {
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

/** For the dashboard (cookie session). */
@Controller('account/audit-log')
@SessionAuth()
export class AuditLogController extends AuditLogRoutes {}

/** For scripts and SIEM collectors (bearer key). */
@Controller('api/audit-log')
@ApiKeyAuth('audit:read')
export class ApiAuditLogController extends AuditLogRoutes {}
