import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal';

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  // Only reachable if a route uses these decorators without an authenticated policy.
  if (!principal) throw new Error('No principal on an authenticated route');
  return principal;
}

/** The id of the owner the request acts for (session user or API key owner). */
export const OwnerId = createParamDecorator(
  (_: unknown, context: ExecutionContext) => principalOf(context).userId,
);

/** The current dashboard session, on `@SessionAuth()` routes. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const principal = principalOf(context);
  if (principal.kind !== 'session') throw new Error('CurrentSession used on a non-session route');
  return {
    id: principal.sessionId,
    userId: principal.userId,
    authenticatedAt: principal.authenticatedAt,
  };
});
