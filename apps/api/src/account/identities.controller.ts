import { Controller, Delete, Get, Param } from '@nestjs/common';
import {
  Client,
  IdentitiesService,
  IdentityProviderPipe,
  OwnerId,
  SessionAuth,
  type ClientContext,
  type IdentityOutput,
  type SocialProvider,
} from '@intake/auth';

/**
 * The account's linked Google and GitHub accounts. Linking goes through the provider's flow
 * (`GET /auth/{provider}` from a signed-in browser).
 */
@Controller('account/identities')
export class IdentitiesController {
  constructor(private readonly identities: IdentitiesService) {}

  @Get()
  @SessionAuth()
  async list(@OwnerId() ownerId: string): Promise<{ identities: IdentityOutput[] }> {
    return { identities: await this.identities.list(ownerId) };
  }

  /** Sensitive, like linking: it changes how the account can be signed in to. */
  @Delete(':provider')
  @SessionAuth({ recentAuth: true })
  async unlink(
    @OwnerId() ownerId: string,
    @Param('provider', new IdentityProviderPipe()) provider: SocialProvider,
    @Client() client: ClientContext,
  ): Promise<{ identity: IdentityOutput }> {
    return { identity: await this.identities.unlink(ownerId, provider, client) };
  }
}
