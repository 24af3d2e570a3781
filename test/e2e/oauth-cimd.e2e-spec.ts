import type * as OAuth from 'oauth4webapi';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess, buildDist } from '../support/app-process';
import {
  clientOptions,
  loadOAuth4WebApi,
  MCP_RESOURCE,
  OAuthBrowser,
  PUBLIC_URL,
} from '../support/oauth-client';
import {
  startMetadataDocumentServer,
  type MetadataDocumentServer,
} from '../support/oauth-metadata-documents';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Clients identified by a URL (Client ID Metadata Documents): no registration, the
 * document fetched from a real HTTPS server through the webhooks' SSRF-safe client, cached.
 * The api runs as a production build in its own process, so that it trusts the document
 * server's self-signed certificate through NODE_EXTRA_CA_CERTS, as an operator would a
 * private CA (ALLOW_PRIVATE_DESTINATIONS lets it reach loopback).
 */
const REDIRECT_URI = 'http://127.0.0.1:53777/callback';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

let o: typeof OAuth;
let docs: MetadataDocumentServer;
let database: TestDatabase;
let api: AppProcess;
const intake = { url: '' };
let as: OAuth.AuthorizationServer;

const documentUrl = (path: string) => `${docs.origin}${path}`;

beforeAll(async () => {
  o = await loadOAuth4WebApi();
  buildDist();
  const client = (origin: string, path: string, extra: Record<string, unknown> = {}) => ({
    client_id: `${origin}${path}`,
    client_name: 'CIMD client',
    client_uri: 'https://cimd.example/',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...extra,
  });
  docs = await startMetadataDocumentServer((origin) => ({
    '/client.json': client(origin, '/client.json'),
    '/mismatch.json': client(origin, '/mismatch.json', {
      client_id: 'https://other.example/client.json',
    }),
    '/secret.json': client(origin, '/secret.json', {
      token_endpoint_auth_method: 'client_secret_post',
    }),
    '/http-redirect.json': client(origin, '/http-redirect.json', {
      redirect_uris: ['http://evil.example/callback'],
    }),
    '/big.json': client(origin, '/big.json', {
      logo_uri: `https://cimd.example/${'x'.repeat(6000)}`,
    }),
    '/moved.json': { status: 302, body: '', headers: { location: `${origin}/client.json` } },
    '/not-json.json': { status: 200, body: '<html>not json</html>' },
    '/gone.json': { status: 500, body: '{}' },
  }));
  database = await createTestDatabase();
  const port = await freePort();
  intake.url = `http://127.0.0.1:${port}`;
  api = new AppProcess('api', {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL,
    ...database.env,
    SECRET_KEY: randomBytes(32).toString('base64'),
    MIGRATE_ON_BOOT: 'true',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'loopback',
    ALLOW_PRIVATE_DESTINATIONS: 'true',
    NODE_EXTRA_CA_CERTS: docs.caFile,
  });
  for (let attempt = 0; ; attempt += 1) {
    const ready = await fetch(`${intake.url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (!api.running || attempt > 600) {
      throw new Error(`the api did not start:\n${api.output.join('')}`);
    }
    await sleep(100);
  }
  const issuer = new URL(PUBLIC_URL);
  as = await o.processDiscoveryResponse(
    issuer,
    await o.discoveryRequest(issuer, { algorithm: 'oauth2', ...clientOptions(o, intake) }),
  );
}, 120_000);

afterAll(async () => {
  api?.kill('SIGKILL');
  await api?.exited;
  await docs?.close();
  await database?.drop();
});

async function authorizationRequest(clientId: string, redirectUri = REDIRECT_URI) {
  const codeVerifier = o.generateRandomCodeVerifier();
  const state = o.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'forms:read',
    resource: MCP_RESOURCE,
    state,
    code_challenge: await o.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  return { url, state, codeVerifier };
}

it('runs the code flow for a URL client id, fetching its document once', async () => {
  const client: OAuth.Client = {
    client_id: documentUrl('/client.json'),
    token_endpoint_auth_method: 'none',
  };
  const browser = new OAuthBrowser(intake);
  await browser.signUp();
  const request = await authorizationRequest(client.client_id);
  const { callback, consentHtml } = await browser.authorize(request.url);
  expect(consentHtml).toContain('Connect CIMD client?');
  expect(consentHtml).toContain(`id="client-id">${client.client_id}<`);
  expect(consentHtml).toContain('id="redirect-host">127.0.0.1:53777<');
  expect(consentHtml).toContain('id="localhost-warning"');
  expect(consentHtml).not.toContain('id="unverified-name"');

  const params = o.validateAuthResponse(as, client, callback!, request.state);
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
      clientOptions(o, intake),
    ),
  );
  expect(tokens.scope).toBe('forms:read');
  const refreshed = await o.processRefreshTokenResponse(
    as,
    client,
    await o.refreshTokenGrantRequest(
      as,
      client,
      o.None(),
      tokens.refresh_token!,
      clientOptions(o, intake),
    ),
  );
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

  // Another authorization by the same client: the cached document is used.
  const again = await authorizationRequest(client.client_id);
  expect((await browser.authorize(again.url)).callback?.searchParams.get('code')).toBeTruthy();
  expect(docs.fetches.get('/client.json')).toBe(1);

  const listed = await browser.browser.json<{ oauth_clients: { id: string; name: string }[] }>(
    'GET',
    '/account/oauth-clients',
  );
  expect(listed.body.oauth_clients).toEqual([
    expect.objectContaining({ name: 'CIMD client', client_uri: 'https://cimd.example/' }),
  ]);
  const [connected] = listed.body.oauth_clients;
  expect(
    (await browser.browser.json('DELETE', `/account/oauth-clients/${connected!.id}`)).status,
  ).toBe(200);
  const afterRevoke = await o.refreshTokenGrantRequest(
    as,
    client,
    o.None(),
    refreshed.refresh_token!,
    clientOptions(o, intake),
  );
  expect(afterRevoke.status).toBe(400);
});

it.each([
  ['a document naming another client id', '/mismatch.json'],
  ['a document with a shared secret', '/secret.json'],
  ['a document with a plain-http redirect off loopback', '/http-redirect.json'],
  ['an oversized document', '/big.json'],
  ['a redirect', '/moved.json'],
  ['a body that is not JSON', '/not-json.json'],
  ['a server error', '/gone.json'],
  ['no document', '/missing.json'],
])('refuses %s, without redirecting to the client', async (_name, path) => {
  const browser = new OAuthBrowser(intake);
  await browser.signUp();
  // The redirect URI the document names, where it names one.
  const redirectUri =
    path === '/http-redirect.json' ? 'http://evil.example/callback' : REDIRECT_URI;
  const request = await authorizationRequest(documentUrl(path), redirectUri);
  const { callback, page } = await browser.authorize(request.url);
  expect(callback).toBeUndefined();
  expect(page!.status).toBe(400);
  expect(page!.html).toMatch(/id="error-code">invalid_(client|client_metadata|redirect_uri)</);
  expect(page!.html).not.toContain('did not match');
});
