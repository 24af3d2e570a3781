import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Accept a caller's id only when it is a short, plain token, so logs cannot be forged. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuses a well-formed incoming `X-Request-Id` (from a proxy) or makes one; echoes it back. */
export function assignRequestId(
  request: IncomingMessage & { id?: unknown },
  response: ServerResponse,
  next: () => void,
): void {
  const incoming = request.headers['x-request-id'];
  request.id =
    typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', request.id);
  next();
}

/** For pino-http: the id `assignRequestId` gave the request. */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  return typeof request.id === 'string' ? request.id : randomUUID();
}
