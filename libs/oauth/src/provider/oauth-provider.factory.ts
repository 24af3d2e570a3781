import type { Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { deriveKey, type AppConfig } from '@intake/config';
import type { SecretBox } from '@intake/common';
import { OAUTH_SCOPES } from '../oauth-scopes';
import { issuerUrl, mcpResourceUrl } from '../oauth-urls';
import { oauthPages } from '../pages/oauth-pages';
import { PrismaOAuthAdapter } from '../storage/prisma-oauth-adapter';
import type { OAuthRecordsRepository } from '../storage/oauth-records.repository';
import { loadOidcProvider } from './oidc-provider.module-loader';
import { OUTBOUND_BODY_LIMIT_BYTES, outboundFetch } from './outbound-fetch';
import { OAUTH_INTERACTION_PREFIX, OAUTH_ROUTES } from './oauth-routes';
import { isAllowedRedirectUri } from './redirect-uri-policy';
import { signingJwk } from './signing-key';

export interface OAuthProviderDependencies {
  config: AppConfig;
  records: OAuthRecordsRepository;
  secrets: SecretBox;
  /** Whether a user id still names an account (tokens of deleted accounts stop at once). */
  accountExists(userId: string): Promise<boolean>;
}

/** Access tokens live an hour (the issue's maximum): they are opaque and checked on every
 * request, so revocation takes effect at once regardless. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** RFC 9700 / OAuth 2.1: codes are single-use and short-lived; 60 s is the issue's cap. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

const DAY = 86_400;

/** Bounds on registered metadata we store and show (oidc-provider sets none). */
const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2048;
export const MAX_CLIENT_NAME_LENGTH = 200;

/**
 * oidc-provider (OpenID certified) configured as the authorization server of one protected
 * resource, `/mcp`: authorization code + PKCE S256 only, public clients registered by RFC
 * 7591 or identified by a metadata document URL (CIMD), opaque access tokens bound to
 * `/mcp` by RFC 8707, rotating refresh tokens, RFC 7009 revocation, RFC 9207 `iss`.
 */
export async function createOAuthProvider(deps: OAuthProviderDependencies): Promise<Provider> {
  const { default: OidcProvider, errors } = await loadOidcProvider();
  const { config } = deps;
  const resource = mcpResourceUrl(config);

  const validateClientMetadata = (metadata: Record<string, unknown>) => {
    const redirectUris = Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris : [];
    if (redirectUris.length > MAX_REDIRECT_URIS) {
      throw new errors.InvalidClientMetadata(`at most ${MAX_REDIRECT_URIS} redirect_uris`);
    }
    for (const uri of redirectUris) {
      if (typeof uri !== 'string' || uri.length > MAX_URI_LENGTH || !isAllowedRedirectUri(uri)) {
        // RFC 7591's code; the provider's stock description speaks of an unmatched URI.
        throw Object.assign(new errors.InvalidRedirectUri(), {
          error_description: 'redirect_uris must be https, or http on a loopback address',
        });
      }
    }
    const name = metadata.client_name;
    if (typeof name === 'string' && name.length > MAX_CLIENT_NAME_LENGTH) {
      throw new errors.InvalidClientMetadata(
        `client_name is longer than ${MAX_CLIENT_NAME_LENGTH}`,
      );
    }
    for (const key of ['client_uri', 'logo_uri', 'policy_uri', 'tos_uri']) {
      const value = metadata[key];
      if (typeof value === 'string' && value.length > MAX_URI_LENGTH) {
        throw new errors.InvalidClientMetadata(`${key} is too long`);
      }
    }
  };

  const configuration: Configuration = {
    adapter: (kind: string) => new PrismaOAuthAdapter(kind, deps.records, deps.secrets),
    clients: [],
    routes: OAUTH_ROUTES,
    cookies: {
      keys: [deriveKey(config.secretKey, 'oauth-provider-cookies').toString('base64url')],
    },
    jwks: { keys: [signingJwk(config.secretKey)] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    // The MCP scopes are listed here too, not only as the resource's scopes: registration
    // checks a client's `scope` against this list and discovery publishes it.
    scopes: ['openid', 'offline_access', ...OAUTH_SCOPES],
    claims: { openid: ['sub'] },
    findAccount: async (_ctx, sub) =>
      (await deps.accountExists(sub)) ? { accountId: sub, claims: () => ({ sub }) } : undefined,
    interactions: { url: (_ctx, interaction) => `${OAUTH_INTERACTION_PREFIX}${interaction.uid}` },
    // oidc-provider 9 implements S256 only: `plain` is refused like a missing challenge.
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
    // Public clients (MCP's norm) use none; secrets stay possible for registered ones and
    // are stored sealed (see the adapter). CIMD clients cannot have one (the draft forbids it).
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      // On by default in v9; the resource server does not check DPoP proofs, so tokens
      // must not be sender-constrained to one.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      registration: {
        enabled: true,
        initialAccessToken: false,
        issueRegistrationAccessToken: false,
      },
      // A client revokes its own tokens only (RFC 7009 2.1), whoever else's it holds.
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02',
        cacheDuration: { min: 300, max: 3600 },
      },
      resourceIndicators: {
        enabled: true,
        // A client that names no resource still gets a token for /mcp, the only one.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: OAUTH_SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            // Looked up on every request, so a revoked grant stops working at once.
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    // The hook oidc-provider gives for whole-metadata checks: it runs for every client,
    // registered, fetched (CIMD) or loaded, once per listed property.
    extraClientMetadata: {
      properties: ['intake_metadata_policy'],
      validator: (_ctx, key, value, metadata) => {
        if (value !== undefined) throw new errors.InvalidClientMetadata(`${key} is not allowed`);
        validateClientMetadata(metadata);
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
      RefreshToken: 30 * DAY,
      Grant: 365 * DAY,
      Interaction: 10 * 60,
      Session: 60 * 60,
      IdToken: 60 * 60,
    },
    // Every use rotates; a consumed refresh token presented again revokes its grant.
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Tokens outlive the provider's own short browser session (the dashboard's is the real one).
    expiresWithSession: () => false,
    fetch: outboundFetch(config.env.ALLOW_PRIVATE_DESTINATIONS),
    fetchResponseBodyLimits: {
      'client_id metadata document': OUTBOUND_BODY_LIMIT_BYTES,
      jwks_uri: OUTBOUND_BODY_LIMIT_BYTES,
      sector_identifier_uri: OUTBOUND_BODY_LIMIT_BYTES,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = oauthPages.providerError(out.error, out.error_description);
    },
  };

  const provider = new OidcProvider(issuerUrl(config), configuration);
  // The app pins X-Forwarded-Host/Proto to PUBLIC_URL before each call (see the mount), so
  // URLs the provider builds never come from a client's Host header.
  provider.proxy = true;
  provider.use(defaultScope);
  return provider;
}

/**
 * An authorization request without `scope` asks for every MCP scope: otherwise it could
 * only end in "no scope granted". The owner narrows it on the consent page.
 */
async function defaultScope(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  if (ctx.path === OAUTH_ROUTES.authorization && ctx.method === 'GET' && !ctx.query.scope) {
    ctx.query = { ...ctx.query, scope: OAUTH_SCOPES.join(' ') };
  }
  await next();
}
