import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Provider } from 'oidc-provider';
import { UsersRepository } from '@intake/auth';
import { SecretBox } from '@intake/common';
import { AppConfig } from '@intake/config';
import { OAuthRecordsRepository } from '../storage/oauth-records.repository';
import { OAuthProviderAudit } from './oauth-provider-audit';
import { createOAuthProvider } from './oauth-provider.factory';

/**
 * Owns the oidc-provider instance. It is built at module init (the package is ESM-only and
 * loads asynchronously), before the app listens, so every request finds it ready.
 */
@Injectable()
export class OAuthProviderHost implements OnModuleInit {
  private instance: Provider | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly records: OAuthRecordsRepository,
    private readonly secrets: SecretBox,
    private readonly users: UsersRepository,
    private readonly audit: OAuthProviderAudit,
  ) {}

  async onModuleInit(): Promise<void> {
    const provider = await createOAuthProvider({
      config: this.config,
      records: this.records,
      secrets: this.secrets,
      accountExists: async (userId) => (await this.users.findById(userId)) !== null,
    });
    this.audit.attach(provider);
    this.instance = provider;
  }

  get provider(): Provider {
    if (!this.instance) throw new Error('The OAuth provider is not initialised yet');
    return this.instance;
  }
}
