import { Module } from '@nestjs/common';
import { AuthModule } from '@intake/auth';
import { OAuthConnectionsRepository } from './connections/oauth-connections.repository';
import { OAuthConnectionsService } from './connections/oauth-connections.service';
import { OAuthInteractionsService } from './interactions/oauth-interactions.service';
import { OAuthRateLimits } from './oauth-rate-limits';
import { OAuthTokenVerifier } from './oauth-token-verifier';
import { OAuthProviderAudit } from './provider/oauth-provider-audit';
import { OAuthProviderHost } from './provider/oauth-provider.host';
import { OAuthRecordsRepository } from './storage/oauth-records.repository';

/** The OAuth 2.1 authorization server for MCP clients (see docs/adr/0016). */
@Module({
  imports: [AuthModule],
  providers: [
    OAuthRecordsRepository,
    OAuthConnectionsRepository,
    OAuthConnectionsService,
    OAuthProviderAudit,
    OAuthProviderHost,
    OAuthInteractionsService,
    OAuthTokenVerifier,
    OAuthRateLimits,
  ],
  exports: [
    OAuthProviderHost,
    OAuthInteractionsService,
    OAuthConnectionsService,
    OAuthTokenVerifier,
    OAuthRateLimits,
  ],
})
export class OAuthModule {}
