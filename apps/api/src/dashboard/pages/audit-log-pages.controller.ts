import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  AUDIT_ACTION_FILTERS,
  auditLogFilters,
  AuditLogExport,
  auditLogQuery,
  AuditService,
} from '@intake/audit';
import {
  Client,
  CurrentSession,
  SessionAuth,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { sendAttachment } from '@intake/common';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { pageQuery, queryInput } from '../page-forms';
import { Viewers } from '../viewers';
import { AuditLogView } from '../views/audit-log.view';

const listQuery = pageQuery(auditLogQuery);
const exportQuery = pageQuery(auditLogFilters);

/** The account's audit trail as a page, and its NDJSON export (the API's filters). */
@Controller()
@DashboardPage()
@SessionAuth()
export class AuditLogPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: AuditLogExport,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.auditLog)
  async list(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const input = queryInput(listQuery, query);
    const [viewer, { data, meta }] = await Promise.all([
      this.viewers.of(session),
      this.audit.list(session.userId, input),
    ]);
    sendPage(
      response,
      200,
      AuditLogView({
        viewer,
        events: data,
        meta,
        action: input.action,
        actions: AUDIT_ACTION_FILTERS,
      }),
    );
  }

  @Get(PAGES.auditLogExport)
  async export(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const filters = queryInput(exportQuery, query);
    await sendAttachment(response, await this.exports.open(session.userId, filters, client));
  }
}
