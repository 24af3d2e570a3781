import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { ClientContext } from '../client-context';
import { PROVIDER_NAMES, type SocialProvider } from '../social/social-provider';
import { IdentitiesRepository } from './identities.repository';
import { toIdentityOutput, type IdentityOutput } from './identity.output';

/**
 * The owner's linked Google and GitHub accounts, as account settings show them. Linking
 * happens through the provider's own flow (SocialSignInService); unlinking here.
 */
@Injectable()
export class IdentitiesService {
  constructor(
    private readonly repository: IdentitiesRepository,
    private readonly audit: AuditService,
  ) {}

  async list(ownerId: string): Promise<IdentityOutput[]> {
    return (await this.repository.list(ownerId)).map(toIdentityOutput);
  }

  /**
   * Unlinks the owner's identity of `provider`; never the last way to sign in (an account
   * with no password and no other identity keeps it: 409). Another owner's identity, like a
   * provider that is not linked, is 404.
   */
  async unlink(
    ownerId: string,
    provider: SocialProvider,
    client: ClientContext,
  ): Promise<IdentityOutput> {
    const result = await this.repository.unlinkUnlessLast(ownerId, provider);
    if (result.status === 'not_found') throw AppError.notFound('Identity');
    if (result.status === 'last_sign_in_method') {
      throw new AppError(
        'conflict',
        `This is the only way to sign in to your account: set a password or link another provider before unlinking ${PROVIDER_NAMES[provider]}`,
      );
    }
    await this.audit.record({
      actorId: ownerId,
      action: 'identity.unlinked',
      target: { type: 'identity', id: result.identity.id },
      client,
      metadata: { provider },
    });
    return toIdentityOutput(result.identity);
  }
}
