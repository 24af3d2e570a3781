import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppError } from '@intake/common';

/**
 * Route quotas per caller, after authentication: per API key, per signed-in user, or per
 * IP for anonymous calls (budgets in ThrottlerModule's options). Keys are per caller,
 * not per route, so a quota covers the whole API. Headers follow the IETF RateLimit
 * fields draft (`RateLimit-Limit`, `-Remaining`, `-Reset`) as API.md promises.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override getTracker(request: Request): Promise<string> {
    return Promise.resolve(trackerOf(request));
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw AppError.rateLimited(detail.timeToBlockExpire);
  }
}

export function trackerOf(request: Request): string {
  const principal = request.principal;
  if (principal?.kind === 'api_key') return `key:${principal.apiKeyId}`;
  if (principal?.kind === 'session') return `user:${principal.userId}`;
  return `ip:${request.ip ?? 'unknown'}`;
}
