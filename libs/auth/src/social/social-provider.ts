import { z } from 'zod';
import type { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { emailSchema } from '../passwords/password.schema';

/** The sign-in providers Intake speaks to; each is on only when its client id is configured. */
export const SOCIAL_PROVIDERS = ['google', 'github'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];
export const socialProviderSchema = z.enum(SOCIAL_PROVIDERS);

/** How people read the provider's name. */
export const PROVIDER_NAMES: Record<SocialProvider, string> = {
  google: 'Google',
  github: 'GitHub',
};

/**
 * What a provider vouched for, as the strategies read it from the provider's own API: its
 * stable user id, and the address it says belongs to that user (lower-cased, Intake's
 * e-mail rules) with whether it verified it. Display names, avatars and tokens are not kept.
 */
export interface ProviderProfile {
  provider: SocialProvider;
  /** OIDC `sub` (Google), the numeric user id (GitHub). */
  subject: string;
  /** Null when the provider named no address (GitHub: no primary address). */
  email: string | null;
  emailVerified: boolean;
}

export interface ProviderClient {
  clientID: string;
  clientSecret: string;
  /** `<PUBLIC_URL>/auth/<provider>/callback`, registered with the provider. */
  callbackURL: string;
}

/** The OAuth client of a provider, or null when the operator left it unconfigured (off). */
export function providerClient(config: AppConfig, provider: SocialProvider): ProviderClient | null {
  const [clientID, clientSecret] =
    provider === 'google'
      ? [config.env.GOOGLE_CLIENT_ID, config.env.GOOGLE_CLIENT_SECRET]
      : [config.env.GITHUB_CLIENT_ID, config.env.GITHUB_CLIENT_SECRET];
  // The config schema requires both or neither.
  if (!clientID || !clientSecret) return null;
  return { clientID, clientSecret, callbackURL: `${config.publicUrl}/auth/${provider}/callback` };
}

/** `base` (an operator-set URL, maybe with a trailing slash) joined with an absolute path. */
export function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/**
 * The profile of what a provider's API said, the address held to Intake's e-mail rules
 * (lower-cased, at most 254 characters, a valid address): one that breaks them is not a
 * profile Intake can use, and ends the sign-in as a provider error.
 */
export function providerProfile(
  provider: SocialProvider,
  subject: string,
  email: string | undefined,
  emailVerified: boolean,
): ProviderProfile {
  if (email === undefined) return { provider, subject, email: null, emailVerified: false };
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AppError('unavailable', `${provider} sent an unusable address`);
  return { provider, subject, email: parsed.data, emailVerified };
}
