import { Injectable } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError } from '@intake/common';
import { toOAuthConnectionOutput, type OAuthConnectionOutput } from './oauth-connection.output';
import { OAuthConnectionsRepository, type OAuthApproval } from './oauth-connections.repository';

/** How stale `last_used_at` may get: a busy client writes once a minute, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Connected clients in account settings: listed, approved (consent page), revoked. */
@Injectable()
export class OAuthConnectionsService {
  constructor(
    private readonly connections: OAuthConnectionsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(ownerId: string): Promise<OAuthConnectionOutput[]> {
    return (await this.connections.list(ownerId)).map(toOAuthConnectionOutput);
  }

  async recordApproval(
    ownerId: string,
    approval: OAuthApproval,
    grantId: string,
    client: AuditClient,
  ): Promise<void> {
    const { connection, created } = await this.connections.recordApproval(ownerId, approval);
    await this.audit.record({
      actorId: ownerId,
      action: 'oauth.grant.created',
      target: { type: 'oauth_client', id: connection.id },
      client,
      metadata: { grant_id: grantId, scopes: approval.scopes.join(' '), first_approval: created },
    });
  }

  /** Another owner's id, or one already revoked, is a 404 like any unknown id. */
  async revoke(ownerId: string, id: string, client: AuditClient): Promise<OAuthConnectionOutput> {
    const connection = await this.connections.revoke(ownerId, id);
    if (!connection) throw AppError.notFound('OAuth client');
    await this.audit.record({
      actorId: ownerId,
      action: 'oauth.client.revoked',
      target: { type: 'oauth_client', id: connection.id },
      client,
      metadata: { name: connection.clientName },
    });
    return toOAuthConnectionOutput(connection);
  }

  touch(ownerId: string, clientId: string): Promise<void> {
    return this.connections.touch(ownerId, clientId, new Date(), LAST_USED_RESOLUTION_MS);
  }
}
