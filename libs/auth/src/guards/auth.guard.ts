import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AUTH_POLICY, type AuthPolicy } from '../auth-policy.decorator';
import type { Principal } from '../principal';
import type { ApiScope } from '../scopes';
import { Csrf } from '../sessions/csrf';
import { SessionCookie } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate in front of every route: it denies by default, and lets a request through
 * only as the route's declared policy allows. Bearer routes never look at cookies and
 * cookie routes never look at Authorization, so neither credential can be confused for
 * the other (a cookie riding along on a cross-site request cannot authorize an API call).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly csrf: Csrf,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<Request>();
    if (!policy) throw new AppError('forbidden', 'This route declares no access policy');
    switch (policy.kind) {
      case 'public':
        if (policy.sameOrigin) this.assertSameOrigin(request);
        return true;
      case 'session':
        request.principal = await this.authenticateSession(request, policy.recentAuth);
        return true;
      case 'api_key':
        request.principal = await this.authenticateApiKey(request, policy.scopes);
        return true;
    }
  }

  private async authenticateSession(request: Request, recentAuth: boolean): Promise<Principal> {
    const token = this.cookie.read(request);
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) throw AppError.unauthorized('Sign in required');
    if (!SAFE_METHODS.has(request.method) && !this.csrf.verify(request, session.id)) {
      throw new AppError('forbidden', 'Missing or invalid CSRF token');
    }
    if (recentAuth) this.sessions.assertRecentlyAuthenticated(session);
    return {
      kind: 'session',
      userId: session.userId,
      sessionId: session.id,
      authenticatedAt: session.authenticatedAt,
    };
  }

  private async authenticateApiKey(
    request: Request,
    scopes: readonly ApiScope[],
  ): Promise<Principal> {
    const [scheme, secret, ...rest] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !secret || rest.length > 0) {
      throw new AppError('unauthorized', 'An API key is required: Authorization: Bearer <key>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const principal = await this.apiKeys.authenticate(secret, request.ip);
    const missing = scopes.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      throw new AppError(
        'insufficient_scope',
        `This API key lacks the scope ${missing.join(', ')}`,
        {
          headers: {
            'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${missing.join(' ')}"`,
          },
        },
      );
    }
    return principal;
  }

  /** Browsers always send Origin on cross-site POSTs; scripts send none and are fine. */
  private assertSameOrigin(request: Request): void {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.config.publicOrigin) {
      throw new AppError('forbidden', 'Cross-origin request refused');
    }
  }
}
