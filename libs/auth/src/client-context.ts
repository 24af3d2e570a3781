import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuditClient } from '@intake/audit';

/** Where a request came from, for audit entries and session records. */
export type ClientContext = AuditClient;

export function clientContextOf(request: Request): ClientContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    requestId: typeof request.id === 'string' ? request.id : null,
  };
}

export const Client = createParamDecorator((_: unknown, context: ExecutionContext) =>
  clientContextOf(context.switchToHttp().getRequest<Request>()),
);
