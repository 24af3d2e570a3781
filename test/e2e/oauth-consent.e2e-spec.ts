import type * as OAuth from 'oauth4webapi';
import { OAuthTokenVerifier } from '@intake/oauth';
import { PASSWORD } from '../support/accounts';
import {
  clientOptions,
  formOf,
  intakeFetch,
  loadOAuth4WebApi,
  MCP_RESOURCE,
  OAuthBrowser,
  PUBLIC_URL,
  startOAuthTestApp,
} from '../support/oauth-client';
import type { TestApp } from '../support/test-app';
import { totpCode } from '../support/two-factor';

/**
 * The owner's side: signing in on the authorization pages (2FA included), the consent
 * page's guards, connected clients in account settings and their revocation, another
 * owner's clients, and the per-IP limits.
 */
const REDIRECT_URI = 'https://app.example/oauth/callback';

let o: typeof OAuth;
let test: TestApp;
let as: OAuth.AuthorizationServer;
let client: OAuth.Client;
let verifier: OAuthTokenVerifier;

async function discover(app: TestApp): Promise<OAuth.AuthorizationServer> {
  const issuer = new URL(PUBLIC_URL);
  return o.processDiscoveryResponse(
    issuer,
    await o.discoveryRequest(issuer, { algorithm: 'oauth2', ...clientOptions(o, app) }),
  );
}

async function authorizationUrl(scope = 'forms:read submissions:read') {
  const codeVerifier = o.generateRandomCodeVerifier();
  const state = o.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    resource: MCP_RESOURCE,
    state,
    code_challenge: await o.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  return { url, state, codeVerifier };
}

async function connect(browser: OAuthBrowser, scope?: string, grant?: string[]) {
  const request = await authorizationUrl(scope);
  const { callback, page } = await browser.authorize(request.url, { grant });
  if (!callback) throw new Error(`stopped on a page: ${page?.status} ${page?.html}`);
  const params = o.validateAuthResponse(as, client, callback, request.state);
  return o.processAuthorizationCodeResponse(
    as,
    client,
    await o.authorizationCodeGrantRequest(
      as,
      client,
      o.None(),
      params,
      REDIRECT_URI,
      request.codeVerifier,
      { additionalParameters: { resource: MCP_RESOURCE }, ...clientOptions(o, test) },
    ),
  );
}

/** 2FA on through the real enrolment endpoints, then signed out; returns the TOTP secret. */
async function enableTwoFactorAndSignOut(browser: OAuthBrowser): Promise<string> {
  const setup = await browser.browser.json<{ secret: string }>('POST', '/account/2fa/setup');
  const confirm = await browser.browser.json<{ csrf_token: string }>(
    'POST',
    '/account/2fa/confirm',
    { code: totpCode(setup.body.secret) },
  );
  browser.browser.csrf = confirm.body.csrf_token;
  expect((await browser.browser.json('POST', '/auth/logout')).status).toBe(204);
  browser.browser.csrf = '';
  return setup.body.secret;
}

/** Runs a request up to the first page Intake shows (sign-in or consent). */
async function firstPage(browser: OAuthBrowser, url: URL) {
  const { page } = await browser.authorize(url, { stop: true });
  if (!page) throw new Error('expected a page');
  return page;
}

interface ConnectedClient {
  id: string;
  name: string;
  client_uri: string | null;
  redirect_host: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

async function connectedClients(browser: OAuthBrowser): Promise<ConnectedClient[]> {
  const { status, body } = await browser.browser.json<{ oauth_clients: ConnectedClient[] }>(
    'GET',
    '/account/oauth-clients',
  );
  expect(status).toBe(200);
  return body.oauth_clients;
}

beforeAll(async () => {
  o = await loadOAuth4WebApi();
  test = await startOAuthTestApp();
  verifier = test.app.get(OAuthTokenVerifier);
  as = await discover(test);
  client = await o.processDynamicClientRegistrationResponse(
    await o.dynamicClientRegistrationRequest(
      as,
      {
        redirect_uris: [REDIRECT_URI],
        client_name: 'Claude',
        client_uri: 'https://app.example/',
      },
      clientOptions(o, test),
    ),
  );
});
afterAll(() => test.close());

describe('signing in on the authorization pages', () => {
  it('asks a browser without a session to sign in, shows the form again on a wrong password, then continues', async () => {
    const owner = await new OAuthBrowser(test).signUp();
    const browser = new OAuthBrowser(test, '203.0.113.20');
    const { url } = await authorizationUrl();
    const signIn = await firstPage(browser, url);
    expect(signIn.html).toContain('<label for="email">');
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    expect(signIn.headers.get('content-security-policy')).toContain(
      "form-action 'self' https://app.example",
    );
    expect(signIn.headers.get('content-security-policy')).toContain("script-src 'self'");

    const wrong = await browser.authorize(
      url,
      {},
      { email: owner.email, password: 'wrong password' },
    );
    expect(wrong.page!.status).toBe(401);
    expect(wrong.page!.html).toContain('role="alert"');
    expect(wrong.page!.html).toContain(`value="${owner.email}"`);

    const outcome = await browser.authorize(url, {}, { email: owner.email });
    expect(outcome.consentHtml).toContain(owner.email);
    expect(outcome.callback!.searchParams.get('code')).toBeTruthy();
    // The sign-in made a dashboard session in this browser.
    expect((await browser.browser.json('GET', '/auth/csrf')).status).toBe(200);
  });

  it('asks for the second factor of an account with 2FA on', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.21');
    const owner = await browser.signUp();
    const secret = await enableTwoFactorAndSignOut(browser);

    const { url } = await authorizationUrl();
    const codePage = await browser.authorize(url, {}, { email: owner.email });
    expect(codePage.page!.status).toBe(401);
    expect(codePage.page!.html).toContain('Authenticator or backup code');
    const form = formOf(codePage.page!.html)!;
    expect(form.action).toMatch(/\/2fa$/);

    const refused = await browser.post(form.action, { _csrf: form.fields._csrf!, code: '000000' });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('role="alert"');

    const accepted = await browser.post(form.action, {
      _csrf: form.fields._csrf!,
      code: totpCode(secret, 1),
    });
    expect(accepted.status).toBe(303);
    const outcome = await browser.authorize(new URL(accepted.headers.get('location')!, PUBLIC_URL));
    expect(outcome.consentHtml).toContain(owner.email);
    expect(outcome.callback!.searchParams.get('code')).toBeTruthy();
  });

  it('takes the code in the first form too', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.22');
    const owner = await browser.signUp();
    const secret = await enableTwoFactorAndSignOut(browser);
    const { url } = await authorizationUrl();
    const outcome = await browser.authorize(
      url,
      {},
      {
        email: owner.email,
        code: totpCode(secret, 1),
      },
    );
    expect(outcome.callback!.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a sign-in post without the interaction’s CSRF token, or from another origin', async () => {
    const owner = await new OAuthBrowser(test).signUp();
    const browser = new OAuthBrowser(test, '203.0.113.23');
    const form = formOf((await firstPage(browser, (await authorizationUrl()).url)).html)!;
    const fields = { email: owner.email, password: PASSWORD };
    for (const csrf of ['', 'x'.repeat(43), 'é'.repeat(200)]) {
      const response = await browser.post(form.action, { ...fields, _csrf: csrf });
      expect(response.status).toBeGreaterThanOrEqual(403);
      expect(response.headers.get('set-cookie') ?? '').not.toContain('intake_session=');
    }
    const foreign = await browser.browser.request(`${PUBLIC_URL}${form.action}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      },
      body: new URLSearchParams({ ...fields, _csrf: form.fields._csrf! }).toString(),
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses hostile and malformed sign-in input as a page, echoing nothing unescaped', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.24');
    const form = formOf((await firstPage(browser, (await authorizationUrl()).url)).html)!;
    const attempts: Record<string, string>[] = [
      { email: '<script>alert(1)</script>@example.com', password: 'x' },
      { email: 'a@example.com', password: 'x'.repeat(300) },
      // An own `__proto__` field, as a hostile form post sends it.
      Object.fromEntries([
        ['email', 'a@example.com'],
        ['password', 'x'],
        ['__proto__', 'x'],
      ]) as Record<string, string>,
      { email: 'a@example.com', password: 'x', extra: 'x' },
    ];
    for (const fields of attempts) {
      const response = await browser.post(form.action, { ...fields, _csrf: form.fields._csrf! });
      const html = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(html).not.toContain('<script>alert');
    }
  });

  it('does not continue an interaction opened in another browser', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.25');
    const page = await firstPage(browser, (await authorizationUrl()).url);
    const form = formOf(page.html)!;
    const stranger = new OAuthBrowser(test, '203.0.113.26');
    await stranger.signUp();
    const opened = await stranger.browser.request(
      `${PUBLIC_URL}${form.action.replace(/\/login$/, '')}`,
    );
    expect(opened.status).toBe(404);
    expect(await opened.text()).toContain('This authorization cannot continue');
    const unknown = await stranger.browser.request(`${PUBLIC_URL}/oauth/interaction/nope`);
    expect(unknown.status).toBe(404);
  });
});

describe('the consent page', () => {
  it('needs the session’s CSRF token, the owner the provider is asking, and a scope', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.30');
    await browser.signUp();
    const consent = await firstPage(browser, (await authorizationUrl()).url);
    const form = formOf(consent.html)!;
    expect(form.action).toMatch(/\/consent$/);

    const noCsrf = await browser.post(form.action, { _csrf: 'wrong' }, ['forms:read']);
    expect(noCsrf.status).toBe(403);
    const noScope = await browser.post(form.action, { _csrf: form.fields._csrf! });
    expect(noScope.status).toBe(422);
    const unknownOnly = await browser.post(form.action, { _csrf: form.fields._csrf! }, ['admin']);
    expect(unknownOnly.status).toBe(422);

    // The same browser now signed in as someone else may not answer for the first owner.
    const other = await browser.signUp();
    expect(other.id).toBeDefined();
    const hijack = await browser.post(form.action, { _csrf: browser.browser.csrf }, ['forms:read']);
    expect(hijack.status).toBe(403);
  });

  it('warns about localhost-only clients only', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.31');
    await browser.signUp();
    const consent = await firstPage(browser, (await authorizationUrl()).url);
    expect(consent.html).not.toContain('localhost-warning');
    expect(consent.html).toContain('id="redirect-host">app.example<');
    expect(consent.html).toContain('id="client-uri">https://app.example/<');
    expect(consent.html).toContain('<label for="scope-forms:read">');
  });
});

describe('connected clients', () => {
  it('lists the approved client; a second approval adds scopes to the same entry', async () => {
    const browser = new OAuthBrowser(test, '203.0.113.40');
    await browser.signUp();
    const tokens = await connect(browser, 'forms:read');
    let [listed, ...rest] = await connectedClients(browser);
    expect(rest).toEqual([]);
    expect(listed).toEqual({
      id: expect.any(String),
      name: 'Claude',
      client_uri: 'https://app.example/',
      redirect_host: 'app.example',
      scopes: ['forms:read'],
      created_at: expect.any(String),
      last_used_at: null,
    });
    await verifier.verify(tokens.access_token, MCP_RESOURCE);
    await connect(browser, 'forms:read submissions:read');
    [listed, ...rest] = await connectedClients(browser);
    expect(rest).toEqual([]);
    expect(listed!.scopes.sort()).toEqual(['forms:read', 'submissions:read']);
    expect(listed!.last_used_at).toEqual(expect.any(String));
  });

  it('revoking one ends its tokens at once; another owner can neither see nor revoke it', async () => {
    const owner = new OAuthBrowser(test, '203.0.113.41');
    await owner.signUp();
    const tokens = await connect(owner);
    const other = new OAuthBrowser(test, '203.0.113.42');
    await other.signUp();
    const otherTokens = await connect(other);
    const [mine] = await connectedClients(owner);
    const [theirs] = await connectedClients(other);
    expect(mine!.id).not.toBe(theirs!.id);

    expect((await other.browser.json('DELETE', `/account/oauth-clients/${mine!.id}`)).status).toBe(
      404,
    );
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).not.toBeNull();
    expect((await owner.browser.json('DELETE', '/account/oauth-clients/not-a-uuid')).status).toBe(
      404,
    );
    const csrf = owner.browser.csrf;
    owner.browser.csrf = '';
    expect((await owner.browser.json('DELETE', `/account/oauth-clients/${mine!.id}`)).status).toBe(
      403,
    );
    owner.browser.csrf = csrf;
    const anonymous = await fetch(`${test.url}/account/oauth-clients`);
    expect(anonymous.status).toBe(401);

    const revoked = await owner.browser.json<{ oauth_client: ConnectedClient }>(
      'DELETE',
      `/account/oauth-clients/${mine!.id}`,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.oauth_client.id).toBe(mine!.id);
    expect(await verifier.verify(tokens.access_token, MCP_RESOURCE)).toBeNull();
    const refreshed = await o.refreshTokenGrantRequest(
      as,
      client,
      o.None(),
      tokens.refresh_token!,
      clientOptions(o, test),
    );
    expect(refreshed.status).toBe(400);
    expect(await connectedClients(owner)).toEqual([]);
    expect((await owner.browser.json('DELETE', `/account/oauth-clients/${mine!.id}`)).status).toBe(
      404,
    );

    // The other owner's connection to the same client is untouched.
    expect(await verifier.verify(otherTokens.access_token, MCP_RESOURCE)).not.toBeNull();
    expect(await connectedClients(other)).toHaveLength(1);
    const audited = await test.prisma.auditEvent.count({
      where: { action: 'oauth.client.revoked', targetId: mine!.id },
    });
    expect(audited).toBe(1);
  });

  it('are hidden from other owners by row-level security too', async () => {
    const owner = new OAuthBrowser(test, '203.0.113.43');
    const { id } = await owner.signUp();
    await connect(owner);
    const stranger = await new OAuthBrowser(test, '203.0.113.44').signUp();
    const seen = await test.prisma.asOwner(stranger.id, async (tx) => ({
      connections: await tx.oAuthConnection.count(),
      records: await tx.oAuthRecord.count(),
    }));
    expect(seen).toEqual({ connections: 0, records: 0 });
    const own = await test.prisma.asOwner(id, (tx) => tx.oAuthRecord.count());
    expect(own).toBeGreaterThan(0);
  });
});

describe('per-IP limits', () => {
  let limited: TestApp;
  let limitedAs: OAuth.AuthorizationServer;

  beforeAll(async () => {
    limited = await startOAuthTestApp({ ANONYMOUS_RATE_LIMIT_PER_MINUTE: '3' });
    limitedAs = await discover(limited);
  });
  afterAll(() => limited.close());

  it.each([
    ['registration', '/oauth/register', { method: 'POST', body: '{}' }],
    ['token', '/oauth/token', { method: 'POST', body: 'grant_type=refresh_token&refresh_token=x' }],
    ['revocation', '/oauth/revoke', { method: 'POST', body: 'token=x' }],
    ['authorization', '/oauth/authorize?client_id=x', { method: 'GET' }],
    ['sign-in and consent pages', '/oauth/interaction/x', { method: 'GET' }],
  ])('limit the %s endpoint', async (_name, path, init) => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const send = () =>
      intakeFetch(limited, ip)(`${PUBLIC_URL}${path}`, {
        ...init,
        headers: {
          'content-type':
            init.method === 'POST' && path.endsWith('register')
              ? 'application/json'
              : 'application/x-www-form-urlencoded',
        },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send()).status);
    expect(statuses).not.toContain(429);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another IP is unaffected.
    const elsewhere = await intakeFetch(limited, '198.51.100.250')(`${PUBLIC_URL}${path}`, init);
    expect(elsewhere.status).not.toBe(429);
    expect(limitedAs.issuer).toBe(PUBLIC_URL);
  });
});
