import type { Identity } from '@intake/database';
import { socialProviderSchema, type SocialProvider } from '../social/social-provider';

export interface IdentityOutput {
  provider: SocialProvider;
  /** The address the provider vouched for when the identity was linked. */
  email: string;
  created_at: string;
  last_used_at: string | null;
}

export function toIdentityOutput(identity: Identity): IdentityOutput {
  return {
    provider: socialProviderSchema.parse(identity.provider),
    email: identity.email,
    created_at: identity.createdAt.toISOString(),
    last_used_at: identity.lastUsedAt?.toISOString() ?? null,
  };
}
