import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig, deriveKey } from '@intake/config';
import { constantTimeEqual } from '@intake/common';

/**
 * CSRF protection by a session-bound synchronizer token (OWASP's HMAC variant): the token
 * is HMAC-SHA256(key, session id), so it needs no storage, cannot be forged without the
 * server key, and changes whenever the session id rotates. Sent in `X-CSRF-Token` or a
 * `_csrf` form field. Chosen over the archived `csurf` and over double-submit cookies
 * (`csrf-csrf`): sessions are server-side here, so binding to the session id is simpler
 * and needs no second cookie. See docs/adr/0005-csrf.md.
 */
@Injectable()
export class Csrf {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = deriveKey(config.secretKey, 'csrf');
  }

  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  verify(request: Request, sessionId: string): boolean {
    const header = request.headers['x-csrf-token'];
    const field: unknown = (request.body as Record<string, unknown> | undefined)?._csrf;
    const sent = typeof header === 'string' ? header : typeof field === 'string' ? field : null;
    if (sent === null || sent.length > 128) return false;
    return constantTimeEqual(Buffer.from(sent), Buffer.from(this.tokenFor(sessionId)));
  }
}
