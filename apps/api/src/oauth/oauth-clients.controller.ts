import { Controller, Delete, Get, Param } from '@nestjs/common';
import { Client, OwnerId, SessionAuth, type ClientContext } from '@intake/auth';
import { uuidParam } from '@intake/common';
import { OAuthConnectionsService, type OAuthConnectionOutput } from '@intake/oauth';

/** The MCP clients the owner approved, in account settings; each can be disconnected. */
@Controller('account/oauth-clients')
export class OAuthClientsController {
  constructor(private readonly connections: OAuthConnectionsService) {}

  @Get()
  @SessionAuth()
  async list(@OwnerId() ownerId: string): Promise<{ oauth_clients: OAuthConnectionOutput[] }> {
    return { oauth_clients: await this.connections.list(ownerId) };
  }

  /** Every grant and token of the client for this owner ends at once. */
  @Delete(':id')
  @SessionAuth()
  async revoke(
    @OwnerId() ownerId: string,
    @Param('id', uuidParam('OAuth client')) id: string,
    @Client() client: ClientContext,
  ): Promise<{ oauth_client: OAuthConnectionOutput }> {
    return { oauth_client: await this.connections.revoke(ownerId, id, client) };
  }
}
