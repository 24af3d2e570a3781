import type { OAuthEndpoint } from '../oauth-rate-limits';

/**
 * Where the provider's endpoints live. The issuer is the bare PUBLIC_URL, so RFC 8414's
 * metadata sits at `/.well-known/oauth-authorization-server` (and the OpenID twin beside
 * it); every endpoint is under `/oauth/`, which the app hands to the provider as is.
 */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  registration: '/oauth/register',
  revocation: '/oauth/revoke',
  jwks: '/oauth/jwks',
} as const;

/** Our own pages of an authorization (sign-in and consent), not the provider's. */
export const OAUTH_INTERACTION_PREFIX = '/oauth/interaction/';

export const OAUTH_METADATA_PATHS = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
] as const;

/** Requests the provider answers itself (everything else is Nest's). */
export function isProviderPath(path: string): boolean {
  return (
    (path.startsWith('/oauth/') && !path.startsWith(OAUTH_INTERACTION_PREFIX)) ||
    (OAUTH_METADATA_PATHS as readonly string[]).includes(path)
  );
}

/** Which rate-limit family a provider request counts against. */
export function providerEndpointOf(path: string): OAuthEndpoint {
  if (path === OAUTH_ROUTES.token) return 'token';
  if (path === OAUTH_ROUTES.registration) return 'registration';
  if (path === OAUTH_ROUTES.revocation) return 'revocation';
  // The authorization endpoint and its resume steps (`/oauth/authorize/<uid>`).
  if (path.startsWith(OAUTH_ROUTES.authorization)) return 'authorization';
  return 'metadata';
}
