import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { AuditService, type AuditAction, type AuditEntry } from '@intake/audit';
import { clientContextOf } from '@intake/auth';

/**
 * Audits what happens inside the provider: registrations, tokens issued, tokens and grants
 * revoked (by the client, or by the provider on a reused code or refresh token). The
 * owner's own acts (approval, disconnecting a client) are audited by their services.
 */
@Injectable()
export class OAuthProviderAudit {
  private readonly logger = new Logger(OAuthProviderAudit.name);
  /** Audit writes started during a request, awaited before its response goes out. */
  private readonly pending = new WeakMap<object, Promise<void>[]>();

  constructor(private readonly audit: AuditService) {}

  attach(provider: Provider): void {
    // Registered first, so it wraps every provider request: the provider's events are
    // synchronous, and an answer must not leave before its audit entry is written.
    provider.use(async (ctx, next) => {
      const writes: Promise<void>[] = [];
      this.pending.set(ctx, writes);
      await next();
      // RFC 7009 revocation of one token has no event of its own: read the outcome after it.
      // Requests the provider did not route (a 404) have no `oidc` context.
      const routed = ctx as Partial<KoaContextWithOIDC>;
      const token =
        routed.oidc?.route === 'revocation'
          ? (routed.oidc.entities.AccessToken ?? routed.oidc.entities.RefreshToken)
          : undefined;
      if (token) {
        this.record(
          routed as KoaContextWithOIDC,
          'oauth.token.revoked',
          token.accountId,
          token.grantId ?? '',
          {
            kind: token.kind,
          },
        );
      }
      await Promise.all(writes);
    });
    provider.on('registration_create.success', (ctx, client) => {
      this.record(ctx, 'oauth.client.registered', null, client.clientId, {
        client_name: client.clientName ?? '',
      });
    });
    provider.on('grant.success', (ctx) => {
      const token = ctx.oidc.entities.AccessToken;
      if (!token) return;
      this.record(ctx, 'oauth.token.issued', token.accountId, token.grantId ?? '', {
        client_id: token.clientId ?? '',
        grant_type: String(ctx.oidc.params?.grant_type ?? ''),
        scope: token.scope ?? '',
      });
    });
    provider.on('grant.revoked', (ctx, grantId) => {
      this.record(ctx, 'oauth.grant.revoked', accountOf(ctx), grantId, { route: ctx.oidc.route });
    });
  }

  /** A failed audit write is logged, never thrown into the provider's request. */
  private record(
    ctx: KoaContextWithOIDC,
    action: AuditAction,
    actorId: string | null,
    targetId: string,
    metadata: AuditEntry['metadata'],
  ): void {
    const entry: AuditEntry = {
      actorId,
      action,
      target: {
        type: action === 'oauth.client.registered' ? 'oauth_client' : 'oauth_grant',
        id: targetId,
      },
      // The provider runs on the Express request the app handed it (see the mount).
      client: clientContextOf(ctx.req as Request),
      metadata,
    };
    const write = this.audit.record(entry).catch((error: unknown) => {
      this.logger.error({ msg: 'OAuth audit entry lost', action, err: error });
    });
    this.pending.get(ctx)?.push(write);
  }
}

/** Whose grant a reused code or refresh token, or a revoked token, belonged to. */
function accountOf(ctx: KoaContextWithOIDC): string | null {
  const { entities } = ctx.oidc;
  return (
    entities.AuthorizationCode?.accountId ??
    entities.RefreshToken?.accountId ??
    entities.AccessToken?.accountId ??
    null
  );
}
