import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BROWSER_PATHS } from '@intake/auth';
import { PAGES, safeReturnPath } from './dashboard-paths';
import { ErrorFilter, toErrorResponse } from '@intake/common';
import { sendPage } from './page';
import { ErrorPage } from './views/error.view';

/**
 * The page to come back to once identity is confirmed: the page itself for a GET, the page
 * that held the form for a post (its same-origin Referer), else the dashboard.
 */
function returnPathOf(request: Request): string {
  if (request.method === 'GET') return safeReturnPath(request.originalUrl);
  const referer = request.headers.referer;
  try {
    const url = referer ? new URL(referer) : null;
    const sameOrigin = url?.host === request.headers.host;
    return safeReturnPath(sameOrigin && url ? `${url.pathname}${url.search}` : undefined);
  } catch {
    return PAGES.home;
  }
}

/**
 * Errors of dashboard pages, as pages: a request without a (live) session goes to sign-in
 * (303, not the API's JSON 401), a sensitive action without a recent proof to the page that
 * confirms identity (and back), anything else is an error page with the API's status and
 * headers (e.g. Retry-After). Field errors of forms never get here: the handlers re-render
 * their form with them.
 */
@Catch()
export class DashboardPageErrors extends ErrorFilter {
  private readonly log = new Logger('DashboardPageErrors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return super.catch(exception, host);
    const { status, body, headers, unexpected } = toErrorResponse(exception);
    if (unexpected) this.log.error(exception instanceof Error ? exception : String(exception));
    if (body.error.code === 'unauthorized') {
      response.redirect(303, BROWSER_PATHS.signIn);
      return;
    }
    if (body.error.code === 'reauthentication_required') {
      const next = encodeURIComponent(returnPathOf(request));
      response.redirect(303, `${PAGES.confirmIdentity}?next=${next}`);
      return;
    }
    response.set(headers);
    const reference = unexpected ? String(request.id) : null;
    sendPage(response, status, ErrorPage({ status, message: body.error.message, reference }));
  }
}
