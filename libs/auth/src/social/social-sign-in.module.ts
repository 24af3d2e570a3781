import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@intake/config';
import { AuthModule } from '../auth.module';
import { GitHubStrategy } from './github.strategy';
import { GoogleStrategy } from './google.strategy';
import { OAuthStateCookie } from './oauth-state.cookie';
import { SocialCallbackGate } from './social-callback-gate';
import { providerClient } from './social-provider';
import { SocialSignInService } from './social-sign-in.service';

/**
 * Google and GitHub sign-in. A provider's passport strategy exists only when the operator
 * configured its client id and secret; without it the routes answer 404 (see the guards).
 */
@Module({})
export class SocialSignInModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SocialSignInModule,
      imports: [AuthModule],
      providers: [
        OAuthStateCookie,
        SocialCallbackGate,
        SocialSignInService,
        ...(providerClient(config, 'google') ? [GoogleStrategy] : []),
        ...(providerClient(config, 'github') ? [GitHubStrategy] : []),
      ],
      // For the guards, which Nest builds in the module of the controllers that use them.
      exports: [OAuthStateCookie, SocialSignInService],
    };
  }
}
