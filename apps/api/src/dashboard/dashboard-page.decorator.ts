import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { Consumes } from '@intake/common';
import { DashboardPageErrors } from './dashboard-page-errors.filter';

export const DASHBOARD_PAGE = 'intake:dashboard-page';

/**
 * Marks a controller as dashboard pages: HTML for people, not part of the HTTP API (so the
 * OpenAPI document leaves it out, under the rule its test states). Its forms post
 * urlencoded fields, and its errors are pages: no session means a redirect to sign-in.
 */
export const DashboardPage = () =>
  applyDecorators(
    SetMetadata(DASHBOARD_PAGE, true),
    UseFilters(DashboardPageErrors),
    Consumes('application/x-www-form-urlencoded'),
  );
