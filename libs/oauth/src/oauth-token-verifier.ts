import { Injectable } from '@nestjs/common';
import { OAuthConnectionsService } from './connections/oauth-connections.service';
import { parseOAuthScopes, type OAuthScope } from './oauth-scopes';
import { OAuthProviderHost } from './provider/oauth-provider.host';

/** What a valid access token lets its client do, and for whom. */
export interface OAuthAccess {
  userId: string;
  clientId: string;
  scopes: readonly OAuthScope[];
  grantId: string;
  expiresAt: Date;
}

/**
 * The resource server's check of a bearer token. Access tokens are opaque, so this is a
 * lookup (by the token's SHA-256) on every request: a revoked grant or disconnected client
 * stops working on the very next call.
 */
@Injectable()
export class OAuthTokenVerifier {
  constructor(
    private readonly host: OAuthProviderHost,
    private readonly connections: OAuthConnectionsService,
  ) {}

  /** The access token's grant when it is valid, unexpired, not revoked and issued for `resource` (the absolute /mcp URL); null otherwise. */
  async verify(token: string, resource: string): Promise<OAuthAccess | null> {
    // Opaque tokens are 43 base64url characters; anything else cannot be one of ours.
    if (!/^[\w-]{20,128}$/.test(token)) return null;
    const { provider } = this.host;
    const accessToken = await provider.AccessToken.find(token);
    if (!accessToken?.isValid || !accessToken.clientId || accessToken.exp === undefined) {
      return null;
    }
    const audiences = [accessToken.aud ?? []].flat();
    if (!audiences.includes(resource)) return null;
    // Tokens of an expired or revoked grant are dead even if their own row survived.
    const grant = await provider.Grant.find(accessToken.grantId);
    if (
      !grant ||
      grant.accountId !== accessToken.accountId ||
      grant.clientId !== accessToken.clientId
    ) {
      return null;
    }
    await this.connections.touch(accessToken.accountId, accessToken.clientId);
    return {
      userId: accessToken.accountId,
      clientId: accessToken.clientId,
      scopes: parseOAuthScopes(accessToken.scope),
      grantId: accessToken.grantId,
      expiresAt: new Date(accessToken.exp * 1000),
    };
  }
}
