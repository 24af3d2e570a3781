import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientContextOf } from '@intake/auth';
import { AppError, RateLimits, type Limiter } from '@intake/common';
import { AppConfig } from '@intake/config';
import { resourceMetadataUrl, type McpCaller } from '@intake/mcp';
import { mcpResourceUrl, OAUTH_SCOPES, OAuthTokenVerifier } from '@intake/oauth';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by McpBearerGuard on /mcp: the owner and client the access token stands for. */
    mcpCaller?: McpCaller;
  }
}

/**
 * The gate of /mcp, in the order the MCP specification gives: refuse foreign Host and
 * Origin headers (DNS rebinding), then demand an OAuth access token issued for this very
 * resource (RFC 8707; a token for anything else is refused), then count the owner's
 * requests (MCP_RATE_LIMIT_PER_MINUTE, across all of their clients). The global AuthGuard
 * has nothing to check here: /mcp takes neither cookies nor API keys (see
 * docs/adr/0017-mcp-server.md).
 */
@Injectable()
export class McpBearerGuard implements CanActivate {
  private readonly limiter: Limiter;
  /** PUBLIC_URL's host, also spelled with its default port. */
  private readonly allowedHosts: ReadonlySet<string>;
  private readonly challenge: string;

  constructor(
    private readonly config: AppConfig,
    private readonly verifier: OAuthTokenVerifier,
    rateLimits: RateLimits,
  ) {
    this.limiter = rateLimits.for({
      name: 'mcp-owner',
      points: config.env.MCP_RATE_LIMIT_PER_MINUTE,
      durationSeconds: 60,
    });
    const { host, hostname, port, protocol } = new URL(config.publicUrl);
    const defaultPort = protocol === 'https:' ? '443' : '80';
    this.allowedHosts = new Set(port === '' ? [host, `${hostname}:${defaultPort}`] : [host]);
    // RFC 9728 §5.1; `scope` tells the client what to ask for (every scope: the owner
    // picks on the consent page).
    this.challenge = `Bearer resource_metadata="${resourceMetadataUrl(config)}", scope="${OAUTH_SCOPES.join(' ')}"`;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    this.assertOwnHostAndOrigin(request);
    const access = await this.authenticate(request);
    const count = await this.limiter.consume(access.userId);
    response.set({
      'RateLimit-Limit': String(count.limit),
      'RateLimit-Remaining': String(count.remaining),
      'RateLimit-Reset': String(count.resetSeconds),
    });
    if (!count.allowed) throw AppError.rateLimited(count.resetSeconds);
    request.mcpCaller = {
      ownerId: access.userId,
      clientId: access.clientId,
      scopes: access.scopes,
      client: clientContextOf(request),
    };
    return true;
  }

  /**
   * A page on another site can point its own host name at this server (DNS rebinding):
   * its requests then carry that name in Host and its origin in Origin. Only PUBLIC_URL's
   * are accepted; clients that are not browsers send no Origin at all.
   */
  private assertOwnHostAndOrigin(request: Request): void {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.config.publicOrigin) {
      throw new AppError('forbidden', 'Cross-origin request refused');
    }
    // Express reads X-Forwarded-Host instead of Host only behind a trusted proxy (TRUST_PROXY).
    if (!this.allowedHosts.has((request.host ?? '').toLowerCase())) {
      throw new AppError('forbidden', 'Host not allowed: /mcp answers for PUBLIC_URL’s host only');
    }
  }

  private async authenticate(request: Request) {
    const [scheme, token, ...rest] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      // RFC 6750 §3.1: no error code when the request carried no token at all.
      throw new AppError('unauthorized', 'An OAuth access token is required', {
        headers: { 'WWW-Authenticate': this.challenge },
      });
    }
    const access = await this.verifier.verify(token, mcpResourceUrl(this.config));
    if (!access) {
      throw new AppError('invalid_token', 'The access token is invalid, expired or revoked', {
        headers: {
          'WWW-Authenticate': `${this.challenge}, error="invalid_token", error_description="The access token is invalid, expired or revoked"`,
        },
      });
    }
    return access;
  }
}
