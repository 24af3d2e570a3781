import type * as OAuth from 'oauth4webapi';
import { createHash } from 'node:crypto';
import { OAuthTokenVerifier } from '@intake/oauth';
import type { TestApp } from '../support/test-app';
import {
  clientOptions,
  intakeFetch,
  loadOAuth4WebApi,
  MCP_RESOURCE,
  OAuthBrowser,
  PUBLIC_URL,
  startOAuthTestApp,
} from '../support/oauth-client';

/**
 * The authorization server against a strict client library (oauth4webapi validates the
 * metadata, `iss`, `state` and every token response): registration, the code flow with
 * PKCE driven through the sign-in and consent pages, refresh rotation, revocation, and a
 * refusal for each requirement.
 */
const REDIRECT_URI = 'http://127.0.0.1:53999/callback';

let o: typeof OAuth;
let test: TestApp;
let as: OAuth.AuthorizationServer;
let client: OAuth.Client;
let verifier: OAuthTokenVerifier;

const options = () => clientOptions(o, test);

async function register(metadata: Partial<OAuth.Client>): Promise<Response> {
  return o.dynamicClientRegistrationRequest(as, metadata, options());
}

async function registerPublicClient(name = 'Test client'): Promise<OAuth.Client> {
  return o.processDynamicClientRegistrationResponse(
    await register({ redirect_uris: [REDIRECT_URI], client_name: name }),
  );
}

interface Request {
  url: URL;
  state: string;
  codeVerifier: string;
}

async function authorizationRequest(
  params: Record<string, string | null> = {},
  forClient: OAuth.Client = client,
): Promise<Request> {
  const codeVerifier = o.generateRandomCodeVerifier();
  const state = o.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  const all: Record<string, string | null> = {
    client_id: forClient.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'forms:read forms:write submissions:read',
    resource: MCP_RESOURCE,
    state,
    code_challenge: await o.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return { url, state, codeVerifier };
}

/** Signs up a fresh owner in a fresh browser and approves (part of) the request. */
async function approve(request: Request, grant?: string[], browser = new OAuthBrowser(test)) {
  const owner = await browser.signUp();
  const outcome = await browser.authorize(request.url, { grant });
  if (!outcome.callback) throw new Error(`no callback: ${outcome.page?.html}`);
  return { owner, browser, callback: outcome.callback, consentHtml: outcome.consentHtml! };
}

function exchange(
  request: Request,
  params: URLSearchParams,
  extra: Record<string, string> = {},
  forClient: OAuth.Client = client,
) {
  return o.authorizationCodeGrantRequest(
    as,
    forClient,
    o.None(),
    params,
    REDIRECT_URI,
    request.codeVerifier,
    { additionalParameters: { resource: MCP_RESOURCE, ...extra }, ...options() },
  );
}

async function tokensFor(grant?: string[]) {
  const request = await authorizationRequest();
  const approved = await approve(request, grant);
  const params = o.validateAuthResponse(as, client, approved.callback, request.state);
  const tokens = await o.processAuthorizationCodeResponse(
    as,
    client,
    await exchange(request, params),
  );
  return { ...approved, request, params, tokens };
}

function refresh(refreshToken: string) {
  return o.refreshTokenGrantRequest(as, client, o.None(), refreshToken, {
    additionalParameters: { resource: MCP_RESOURCE },
    ...options(),
  });
}

async function oauthError(response: Promise<unknown>): Promise<string> {
  const error = await response.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof o.ResponseBodyError))
    throw new Error(`expected an OAuth error: ${String(error)}`);
  return error.error;
}

/** The rows of the provider's table, as the database holds them. */
async function storedRows(): Promise<string> {
  const rows = await test.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    'SELECT kind, encode(key, $$base64$$) AS key, sealed_payload, user_id::text, client_id, grant_id, uid FROM oauth_records',
  );
  return JSON.stringify(rows);
}

beforeAll(async () => {
  o = await loadOAuth4WebApi();
  test = await startOAuthTestApp();
  verifier = test.app.get(OAuthTokenVerifier);
  const issuer = new URL(PUBLIC_URL);
  as = await o.processDiscoveryResponse(
    issuer,
    await o.discoveryRequest(issuer, { algorithm: 'oauth2', ...options() }),
  );
  client = await registerPublicClient();
});
afterAll(() => test.close());

describe('metadata', () => {
  it('is published at both well-known paths, byte for byte, with what MCP requires', async () => {
    const fetchIntake = intakeFetch(test);
    const [oauth, openid] = await Promise.all(
      ['oauth-authorization-server', 'openid-configuration'].map((name) =>
        fetchIntake(`${PUBLIC_URL}/.well-known/${name}`).then((response) => response.text()),
      ),
    );
    expect(oauth).toBe(openid);
    expect(as.issuer).toBe(PUBLIC_URL);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(as.client_id_metadata_document_supported).toBe(true);
    expect(as.response_types_supported).toEqual(['code']);
    expect(as.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
    expect(as.registration_endpoint).toBe(`${PUBLIC_URL}/oauth/register`);
    expect(as.revocation_endpoint).toBe(`${PUBLIC_URL}/oauth/revoke`);
    expect(as.scopes_supported).toEqual(
      expect.arrayContaining([
        'forms:read',
        'forms:write',
        'submissions:read',
        'submissions:write',
        'ai:use',
        'knowledge_bases:read',
      ]),
    );
  });

  it('takes no URL from the request’s Host header', async () => {
    const response = await fetch(`${test.url}/.well-known/oauth-authorization-server`, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    const body = await response.text();
    expect(body).not.toContain('evil.example');
    expect(JSON.parse(body)).toMatchObject({ issuer: PUBLIC_URL });
  });
});

describe('the code flow', () => {
  it('issues opaque, short-lived tokens bound to /mcp for the scopes the owner allowed', async () => {
    const { owner, tokens, consentHtml, callback } = await tokensFor();
    expect(callback.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(consentHtml).toContain('See your forms and their settings');
    expect(consentHtml).toContain('Create and change your forms');
    expect(consentHtml).toContain('Read the submissions your forms receive');
    expect(consentHtml).toContain('id="redirect-host">127.0.0.1:53999<');
    expect(consentHtml).toContain('id="localhost-warning"');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.scope?.split(' ').sort()).toEqual(
      ['forms:read', 'forms:write', 'submissions:read'].sort(),
    );
    const access = await verifier.verify(tokens.access_token, MCP_RESOURCE);
    expect(access).toMatchObject({
      userId: owner.id,
      clientId: client.client_id,
      scopes: ['forms:read', 'forms:write', 'submissions:read'],
    });
    expect(access!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
  });

  it('lets the owner grant less than asked', async () => {
    const { tokens } = await tokensFor(['forms:read']);
    expect(tokens.scope).toBe('forms:read');
    expect((await verifier.verify(tokens.access_token, MCP_RESOURCE))?.scopes).toEqual([
      'forms:read',
    ]);
  });

  it('asks for every MCP scope when the request names none', async () => {
    const request = await authorizationRequest({ scope: null });
    const { consentHtml } = await approve(request);
    for (const scope of ['forms:read', 'submissions:write', 'ai:use', 'knowledge_bases:read']) {
      expect(consentHtml).toContain(`value="${scope}"`);
    }
  });

  it('binds the token to /mcp even when the client names no resource', async () => {
    const request = await authorizationRequest({ resource: null });
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    const tokens = await o.processAuthorizationCodeResponse(
      as,
      client,
      await o.authorizationCodeGrantRequest(
        as,
        client,
        o.None(),
        params,
        REDIRECT_URI,
        request.codeVerifier,
        options(),
      ),
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
  });

  it('sends a denial back as access_denied with iss and state', async () => {
    const request = await authorizationRequest();
    const browser = new OAuthBrowser(test);
    await browser.signUp();
    const { callback } = await browser.authorize(request.url, { deny: true });
    expect(callback!.searchParams.get('error')).toBe('access_denied');
    expect(callback!.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(callback!.searchParams.get('state')).toBe(request.state);
    expect(() => o.validateAuthResponse(as, client, callback!, request.state)).toThrow(
      o.AuthorizationResponseError,
    );
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; reusing an old one revokes the whole family', async () => {
    const { tokens } = await tokensFor();
    const first = await o.processRefreshTokenResponse(
      as,
      client,
      await refresh(tokens.refresh_token!),
    );
    expect(first.refresh_token).toBeDefined();
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    expect(await verifier.verify(first.access_token, MCP_RESOURCE)).not.toBeNull();
    const second = await o.processRefreshTokenResponse(
      as,
      client,
      await refresh(first.refresh_token!),
    );
    expect(await verifier.verify(second.access_token, MCP_RESOURCE)).not.toBeNull();

    expect(
      await oauthError(
        o.processRefreshTokenResponse(as, client, await refresh(tokens.refresh_token!)),
      ),
    ).toBe('invalid_grant');
    // The family is gone: the newest tokens too.
    expect(await verifier.verify(second.access_token, MCP_RESOURCE)).toBeNull();
    expect(await verifier.verify(first.access_token, MCP_RESOURCE)).toBeNull();
    expect(
      await oauthError(
        o.processRefreshTokenResponse(as, client, await refresh(second.refresh_token!)),
      ),
    ).toBe('invalid_grant');
  });

  it('belong to their client: another client cannot use them', async () => {
    const { tokens } = await tokensFor();
    const other = await registerPublicClient('Other client');
    const response = await o.refreshTokenGrantRequest(
      as,
      other,
      o.None(),
      tokens.refresh_token!,
      options(),
    );
    expect(await oauthError(o.processRefreshTokenResponse(as, other, response))).toBe(
      'invalid_grant',
    );
  });
});

describe('revocation (RFC 7009)', () => {
  it('ends an access token, and with it its grant’s tokens', async () => {
    const { tokens } = await tokensFor();
    await o.processRevocationResponse(
      await o.revocationRequest(as, client, o.None(), tokens.access_token, options()),
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
    expect(
      await oauthError(
        o.processRefreshTokenResponse(as, client, await refresh(tokens.refresh_token!)),
      ),
    ).toBe('invalid_grant');
  });

  it('ends a refresh token and the access tokens of its grant', async () => {
    const { tokens } = await tokensFor();
    await o.processRevocationResponse(
      await o.revocationRequest(as, client, o.None(), tokens.refresh_token!, options()),
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
  });

  it('lets a client revoke only its own tokens', async () => {
    const { tokens } = await tokensFor();
    const other = await registerPublicClient('Other client');
    const response = await o.revocationRequest(as, other, o.None(), tokens.access_token, options());
    expect(response.status).toBeLessThan(500);
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
  });

  it('answers 200 for an unknown or hostile token, and changes nothing', async () => {
    const { tokens } = await tokensFor();
    for (const token of ['x'.repeat(43), '<script>', '__proto__', 'é'.repeat(2000)]) {
      await o.processRevocationResponse(
        await o.revocationRequest(as, client, o.None(), token, options()),
      );
    }
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
  });
});

describe('PKCE and codes', () => {
  it.each([
    ['no PKCE', { code_challenge: null, code_challenge_method: null }],
    ['plain PKCE', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
    ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }],
  ])('refuses %s with an error redirect carrying iss and state', async (_name, pkce) => {
    const request = await authorizationRequest(pkce);
    const browser = new OAuthBrowser(test);
    await browser.signUp();
    const { callback } = await browser.authorize(request.url);
    expect(callback!.searchParams.get('error')).toBe('invalid_request');
    expect(callback!.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(callback!.searchParams.get('state')).toBe(request.state);
    expect(callback!.searchParams.get('code')).toBeNull();
  });

  it('refuses a wrong verifier', async () => {
    const request = await authorizationRequest();
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    const wrong = { ...request, codeVerifier: o.generateRandomCodeVerifier() };
    expect(
      await oauthError(
        o.processAuthorizationCodeResponse(as, client, await exchange(wrong, params)),
      ),
    ).toBe('invalid_grant');
    // The client that holds the verifier can still redeem its code.
    const tokens = await o.processAuthorizationCodeResponse(
      as,
      client,
      await exchange(request, params),
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
  });

  it('takes a code once; reusing it revokes the tokens it gave', async () => {
    const { request, params, tokens } = await tokensFor();
    expect(
      await oauthError(
        o.processAuthorizationCodeResponse(as, client, await exchange(request, params)),
      ),
    ).toBe('invalid_grant');
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
    expect(
      await oauthError(
        o.processRefreshTokenResponse(as, client, await refresh(tokens.refresh_token!)),
      ),
    ).toBe('invalid_grant');
  });

  it('keeps codes for at most 60 seconds', async () => {
    const request = await authorizationRequest();
    await approve(request);
    const [code] = await test.prisma.$queryRawUnsafe<{ ttl: number }[]>(
      `SELECT extract(epoch FROM expires_at - created_at)::float AS ttl FROM oauth_records
       WHERE kind = 'AuthorizationCode' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(code!.ttl).toBeGreaterThan(0);
    expect(code!.ttl).toBeLessThanOrEqual(60);
  });

  it('refuses an expired code', async () => {
    const request = await authorizationRequest();
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    await test.prisma.$executeRawUnsafe(
      `UPDATE oauth_records SET expires_at = now() - interval '1 second' WHERE kind = 'AuthorizationCode'`,
    );
    expect(
      await oauthError(
        o.processAuthorizationCodeResponse(as, client, await exchange(request, params)),
      ),
    ).toBe('invalid_grant');
  });

  it('refuses a code for another client', async () => {
    const request = await authorizationRequest();
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    const other = await registerPublicClient('Code thief');
    expect(
      await oauthError(
        o.processAuthorizationCodeResponse(as, other, await exchange(request, params, {}, other)),
      ),
    ).toBe('invalid_grant');
  });
});

describe('redirect URIs', () => {
  it('must match a registered one exactly: no redirect to an unregistered URI', async () => {
    for (const uri of [
      'http://127.0.0.1:53999/other',
      'http://127.0.0.1:53999/callback/',
      'http://127.0.0.1:53999/callback?x=1',
      'http://127.0.0.1:54000/callback',
      'http://localhost:53999/callback',
      'https://evil.example/callback',
    ]) {
      const request = await authorizationRequest({ redirect_uri: uri });
      const browser = new OAuthBrowser(test);
      await browser.signUp();
      const { callback, page } = await browser.authorize(request.url);
      expect({ uri, callback }).toEqual({ uri, callback: undefined });
      expect(page!.status).toBe(400);
      expect(page!.html).toContain('redirect_uri');
    }
  });

  it('may vary the loopback port for native clients only (RFC 8252 7.3)', async () => {
    const native = await o.processDynamicClientRegistrationResponse(
      await register({ redirect_uris: ['http://127.0.0.1:1234/cb'], application_type: 'native' }),
    );
    const request = await authorizationRequest(
      { redirect_uri: 'http://127.0.0.1:5555/cb' },
      native,
    );
    const { callback } = await approve(request);
    expect(callback.origin).toBe('http://127.0.0.1:5555');
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('at the token endpoint must be the one of the request', async () => {
    const request = await authorizationRequest();
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    const response = await o.authorizationCodeGrantRequest(
      as,
      client,
      o.None(),
      params,
      'http://127.0.0.1:53999/elsewhere',
      request.codeVerifier,
      options(),
    );
    expect(await oauthError(o.processAuthorizationCodeResponse(as, client, response))).toBe(
      'invalid_grant',
    );
  });

  it.each([
    ['plain http off loopback', ['http://evil.example/callback']],
    ['a custom scheme', ['myapp://callback']],
    ['a fragment', ['https://app.example/callback#x']],
    ['javascript:', ['javascript:alert(1)']],
    ['more than ten', Array.from({ length: 11 }, (_, i) => `https://app.example/${i}`)],
  ])('are refused at registration: %s', async (_name, uris) => {
    const response = await register({ redirect_uris: uris });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^invalid_(redirect_uri|client_metadata)$/,
    );
  });

  it('accept https and every loopback form', async () => {
    const response = await register({
      redirect_uris: [
        'https://app.example/callback',
        'http://localhost:8080/cb',
        'http://[::1]:9000/cb',
        'http://127.0.0.1/cb',
      ],
    });
    expect(response.status).toBe(201);
  });
});

describe('registration input', () => {
  it.each([
    ['no redirect URI', {}],
    ['a redirect URI of the wrong type', { redirect_uris: 'https://app.example/cb' }],
    ['an over-long name', { redirect_uris: [REDIRECT_URI], client_name: 'x'.repeat(201) }],
    ['an unknown scope', { redirect_uris: [REDIRECT_URI], scope: 'admin' }],
    ['the implicit flow', { redirect_uris: [REDIRECT_URI], response_types: ['token'] }],
    ['our internal property', { redirect_uris: [REDIRECT_URI], intake_metadata_policy: 'x' }],
  ])('refuses %s', async (_name, metadata) => {
    const response = await register(metadata);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^invalid_/);
  });

  it('refuses bodies that are not JSON objects, and prototype keys change nothing', async () => {
    const fetchIntake = intakeFetch(test);
    for (const body of ['not json', '[]', '"x"', '{"redirect_uris": [', 'x'.repeat(100_000)]) {
      const response = await fetchIntake(`${PUBLIC_URL}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect({
        body: body.slice(0, 20),
        status: response.status >= 400 && response.status < 500,
      }).toEqual({
        body: body.slice(0, 20),
        status: true,
      });
    }
    const polluted = await fetchIntake(`${PUBLIC_URL}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"redirect_uris": ["${REDIRECT_URI}"], "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`,
    });
    expect(polluted.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('escapes the client’s name and URI on the consent page', async () => {
    const hostile = await o.processDynamicClientRegistrationResponse(
      await register({
        redirect_uris: [REDIRECT_URI],
        client_name: '<script>alert(1)</script> & "Ünïcødé 🚀"',
        client_uri: 'https://app.example/?q="><img src=x>',
      }),
    );
    const request = await authorizationRequest({}, hostile);
    const { consentHtml } = await approve(request);
    expect(consentHtml).not.toContain('<script>alert');
    expect(consentHtml).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ünïcødé 🚀&quot;',
    );
    expect(consentHtml).not.toContain('"><img');
    expect(consentHtml).toContain('id="unverified-name"');
  });
});

describe('resource indicators (RFC 8707)', () => {
  it('refuses a token for another resource', async () => {
    const request = await authorizationRequest({ resource: 'https://elsewhere.example/api' });
    const browser = new OAuthBrowser(test);
    await browser.signUp();
    const { callback } = await browser.authorize(request.url);
    expect(callback!.searchParams.get('error')).toBe('invalid_target');
    expect(callback!.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(callback!.searchParams.get('state')).toBe(request.state);

    const valid = await authorizationRequest();
    const approved = await approve(valid);
    const params = o.validateAuthResponse(as, client, approved.callback, valid.state);
    const response = await exchange(valid, params, { resource: 'https://elsewhere.example/api' });
    expect(await oauthError(o.processAuthorizationCodeResponse(as, client, response))).toBe(
      'invalid_target',
    );
  });

  it('the verifier refuses a token presented for another resource', async () => {
    const { tokens } = await tokensFor();
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
    for (const resource of [
      `${PUBLIC_URL}/api`,
      `${PUBLIC_URL}/mcp/`,
      'https://elsewhere.example/mcp',
      '',
    ]) {
      expect(await verifier.verify(tokens.access_token, resource)).toBeNull();
    }
  });
});

describe('the verifier', () => {
  it('refuses unknown, malformed and hostile tokens', async () => {
    for (const token of [
      '',
      'x',
      'a'.repeat(43),
      'a'.repeat(10_000),
      '<script>',
      '__proto__',
      "' OR 1=1 --",
      'é'.repeat(43),
    ]) {
      expect(await verifier.verify(token, MCP_RESOURCE)).toBeNull();
    }
  });

  it('refuses a refresh token or a code as an access token', async () => {
    const { tokens } = await tokensFor();
    expect(await verifier.verify(tokens.refresh_token!, MCP_RESOURCE)).toBeNull();
  });

  it('refuses an expired access token', async () => {
    const { tokens } = await tokensFor();
    const key = createHash('sha256').update(tokens.access_token).digest();
    await test.prisma.$executeRawUnsafe(
      `UPDATE oauth_records SET expires_at = now() - interval '1 second' WHERE kind = 'AccessToken' AND key = $1`,
      key,
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
  });

  it('refuses a token whose grant is gone', async () => {
    const { tokens } = await tokensFor();
    const access = await verifier.verify(tokens.access_token, MCP_RESOURCE);
    await test.prisma.$executeRawUnsafe(
      `DELETE FROM oauth_records WHERE kind = 'Grant' AND grant_id = $1`,
      access!.grantId,
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
  });
});

describe('storage', () => {
  it('keeps no token, code, client secret or provider cookie in plaintext', async () => {
    const request = await authorizationRequest();
    const { callback, browser } = await approve(request);
    const params = o.validateAuthResponse(as, client, callback, request.state);
    const code = params.get('code')!;
    const tokens = await o.processAuthorizationCodeResponse(
      as,
      client,
      await exchange(request, params),
    );
    const rotated = await o.processRefreshTokenResponse(
      as,
      client,
      await refresh(tokens.refresh_token!),
    );
    const confidential = await o.processDynamicClientRegistrationResponse(
      await register({
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    );
    expect(confidential.client_secret).toEqual(expect.any(String));
    const providerCookies = ['_session', '_interaction', '_interaction_resume']
      .map((name) => browser.browser.cookie(name))
      .filter((value): value is string => Boolean(value));

    const rows = await storedRows();
    expect(rows).toContain('AccessToken');
    const secrets = [
      code,
      tokens.access_token,
      tokens.refresh_token!,
      rotated.access_token,
      rotated.refresh_token!,
      String(confidential.client_secret),
      ...providerCookies,
    ];
    for (const secret of secrets) {
      expect({ secret, found: rows.includes(secret) }).toEqual({ secret, found: false });
    }
    // Codes and tokens are found by their SHA-256 only.
    for (const secret of [code, tokens.access_token, rotated.refresh_token!]) {
      expect(rows).toContain(createHash('sha256').update(secret).digest('base64'));
    }
  });

  it('lets a confidential client authenticate with its sealed secret', async () => {
    const confidential = await o.processDynamicClientRegistrationResponse(
      await register({
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    );
    const request = await authorizationRequest({}, confidential);
    const { callback } = await approve(request);
    const params = o.validateAuthResponse(as, confidential, callback, request.state);
    const response = await o.authorizationCodeGrantRequest(
      as,
      confidential,
      o.ClientSecretPost(String(confidential.client_secret)),
      params,
      REDIRECT_URI,
      request.codeVerifier,
      options(),
    );
    const tokens = await o.processAuthorizationCodeResponse(as, confidential, response);
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
    const wrong = await o.authorizationCodeGrantRequest(
      as,
      confidential,
      o.ClientSecretPost('wrong-secret'),
      params,
      REDIRECT_URI,
      request.codeVerifier,
      options(),
    );
    expect(await oauthError(o.processAuthorizationCodeResponse(as, confidential, wrong))).toBe(
      'invalid_client',
    );
  });
});

describe('client ID metadata documents', () => {
  it('refuses a document on a private address when private destinations are not allowed', async () => {
    const clientId = 'https://127.0.0.1:9/oauth/client.json';
    const url = new URL(as.authorization_endpoint!);
    const request = await authorizationRequest();
    request.url.searchParams.set('client_id', clientId);
    const browser = new OAuthBrowser(test);
    await browser.signUp();
    const { callback, page } = await browser.authorize(request.url);
    expect(url.pathname).toBe('/oauth/authorize');
    expect(callback).toBeUndefined();
    expect(page!.status).toBe(400);
    expect(page!.html).toContain('invalid_client');
  });
});

describe('audit', () => {
  it('records registrations, approvals, token issue and revocations', async () => {
    const { owner, tokens } = await tokensFor();
    await o.processRevocationResponse(
      await o.revocationRequest(as, client, o.None(), tokens.refresh_token!, options()),
    );
    const actions = await test.prisma.auditEvent.findMany({
      where: { userId: owner.id, action: { startsWith: 'oauth.' } },
      select: { action: true },
    });
    expect(actions.map((event) => event.action).sort()).toEqual(
      [
        'oauth.grant.created',
        'oauth.grant.revoked',
        'oauth.token.issued',
        'oauth.token.revoked',
      ].sort(),
    );
    const registered = await test.prisma.auditEvent.count({
      where: { action: 'oauth.client.registered', targetId: client.client_id },
    });
    expect(registered).toBe(1);
  });
});
