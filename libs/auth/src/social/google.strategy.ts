import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-google-oauth20';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import { forPassport, OAuthStateCookie } from './oauth-state.cookie';
import { fetchProviderJson } from './provider-api';
import { providerClient, providerProfile, type ProviderProfile } from './social-provider';

/** OpenID Connect userinfo (`email` scope); other claims are ignored. */
const userinfo = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
});

/**
 * Google sign-in: authorization code with `state` and PKCE (S256), scopes `openid email` only.
 * passport-google-oauth20 runs the OAuth exchange; the profile comes from the userinfo
 * endpoint through `fetchProviderJson` instead of the library's loader, which sends the
 * access token in the query string and builds its profile without checking the answer.
 * Only `email_verified: true` counts as verified (a missing claim does not).
 */
@Injectable()
export class GoogleStrategy extends PassportStrategy(Strategy, 'google') {
  private readonly userinfoUrl: string;

  constructor(config: AppConfig, state: OAuthStateCookie) {
    const client = providerClient(config, 'google');
    if (!client) throw new Error('GoogleStrategy needs GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET');
    super({
      ...client,
      authorizationURL: config.env.GOOGLE_AUTHORIZATION_URL,
      tokenURL: config.env.GOOGLE_TOKEN_URL,
      scope: ['openid', 'email'],
      pkce: true,
      store: forPassport(state.storeFor('google')),
    });
    this.userinfoUrl = config.env.GOOGLE_USERINFO_URL;
  }

  override userProfile(
    accessToken: string,
    done: (error: Error | null, profile?: ProviderProfile) => void,
  ): void {
    fetchProviderJson(this.userinfoUrl, accessToken, userinfo)
      .then((claims) =>
        providerProfile('google', claims.sub, claims.email, claims.email_verified === true),
      )
      .then((profile) => done(null, profile), done);
  }

  /** The verify callback: the profile is the whole result; SocialSignInService decides. */
  validate(_accessToken: string, _refreshToken: string, profile: ProviderProfile): ProviderProfile {
    return profile;
  }
}
