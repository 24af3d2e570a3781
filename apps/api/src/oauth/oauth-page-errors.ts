import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorFilter, toErrorResponse } from '@intake/common';
import { oauthPages } from '@intake/oauth';
import { sendOAuthPage } from './oauth-page';

/**
 * On the authorization pages errors are pages too (a browser is on the other end), with
 * the status and headers (Retry-After) of the API.md error; JSON callers keep JSON.
 */
@Catch()
export class OAuthPageErrors extends ErrorFilter {
  private readonly log = new Logger('OAuthPageErrors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const wantsPage =
      request.method === 'GET' || Boolean(request.is('application/x-www-form-urlencoded'));
    if (!wantsPage || response.headersSent) return super.catch(exception, host);
    const { status, body, headers, unexpected } = toErrorResponse(exception);
    if (unexpected) this.log.error(exception instanceof Error ? exception : String(exception));
    const details = Object.entries(body.error.details ?? {}).map(
      ([field, messages]) => `${field}: ${messages.join(', ')}`,
    );
    const reference = unexpected ? ` Reference: ${String(request.id)}.` : '';
    response.set(headers);
    sendOAuthPage(
      response,
      status,
      oauthPages.interactionError(`${body.error.message}${reference}`, details),
    );
  }
}
