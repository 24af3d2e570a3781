import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-github2';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import { forPassport, OAuthStateCookie } from './oauth-state.cookie';
import { fetchProviderJson } from './provider-api';
import { endpoint, providerClient, providerProfile, type ProviderProfile } from './social-provider';

const USER_AGENT = 'Intake';
/** https://docs.github.com/en/rest/about-the-rest-api/api-versions */
const API_HEADERS = {
  Accept: 'application/vnd.github+json',
  'User-Agent': USER_AGENT,
  'X-GitHub-Api-Version': '2022-11-28',
};

const user = z.object({ id: z.number().int().positive() });
/** `GET /user/emails` (scope `user:email`); an account has a handful of addresses. */
const emails = z
  .array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }))
  .max(100);

/**
 * GitHub sign-in: authorization code with `state` and PKCE (S256), scope `user:email` only.
 * passport-github2 runs the OAuth exchange; the profile is read here: the library keeps the
 * `verified` flag only with `allRawEmails`, and parses the e-mail list in a socket callback
 * where a malformed answer would throw outside any handler. The address is the primary one,
 * and counts only if GitHub verified it: a verified secondary address is not taken in its
 * place (GitHub's owner chose the primary; guessing among the others could link an account
 * they did not mean).
 */
@Injectable()
export class GitHubStrategy extends PassportStrategy(Strategy, 'github') {
  private readonly apiUrl: string;

  constructor(config: AppConfig, state: OAuthStateCookie) {
    const client = providerClient(config, 'github');
    if (!client) throw new Error('GitHubStrategy needs GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET');
    super({
      ...client,
      authorizationURL: endpoint(config.env.GITHUB_URL, '/login/oauth/authorize'),
      tokenURL: endpoint(config.env.GITHUB_URL, '/login/oauth/access_token'),
      scope: ['user:email'],
      pkce: true,
      store: forPassport(state.storeFor('github')),
      userAgent: USER_AGENT,
    });
    this.apiUrl = config.env.GITHUB_API_URL;
  }

  override userProfile(
    accessToken: string,
    done: (error: Error | null, profile?: ProviderProfile) => void,
  ): void {
    this.readProfile(accessToken).then((profile) => done(null, profile), done);
  }

  /** The verify callback: the profile is the whole result; SocialSignInService decides. */
  validate(_accessToken: string, _refreshToken: string, profile: ProviderProfile): ProviderProfile {
    return profile;
  }

  private async readProfile(accessToken: string): Promise<ProviderProfile> {
    const [account, addresses] = await Promise.all([
      fetchProviderJson(endpoint(this.apiUrl, '/user'), accessToken, user, API_HEADERS),
      fetchProviderJson(endpoint(this.apiUrl, '/user/emails'), accessToken, emails, API_HEADERS),
    ]);
    const primary = addresses.find((address) => address.primary);
    return providerProfile(
      'github',
      String(account.id),
      primary?.email,
      primary?.verified ?? false,
    );
  }
}
