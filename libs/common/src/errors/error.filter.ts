import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse } from './to-error-response';

/**
 * The one global filter: every error leaves Intake in the API.md shape with the request
 * id, and only unexpected failures are logged with their stack (never the body).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, body, headers, unexpected } = toErrorResponse(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (response.headersSent) {
      response.end();
      return;
    }
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    if (requestId) body.error.request_id = requestId;
    response.status(status).set(headers).json(body);
  }
}
