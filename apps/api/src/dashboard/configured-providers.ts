import { providerClient, SOCIAL_PROVIDERS, type SocialProvider } from '@intake/auth';
import type { AppConfig } from '@intake/config';

/** Google / GitHub, as far as the operator configured them (buttons for these only). */
export function configuredProviders(config: AppConfig): SocialProvider[] {
  return SOCIAL_PROVIDERS.filter((provider) => providerClient(config, provider) !== null);
}
