import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  UnauthorizedError,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess, buildDist } from './app-process';
import { OAuthBrowser, PUBLIC_URL, startOAuthTestApp, type ConsentChoice } from './oauth-client';
import type { TestApp } from './test-app';
import { createTestDatabase } from './test-database';

export { PUBLIC_URL };

/** A running Intake: a TestApp, or a production build's process. */
export interface IntakeServer {
  url: string;
}
export const MCP_URL = `${PUBLIC_URL}/mcp`;
export const MCP_HOST = new URL(PUBLIC_URL).host;

/**
 * An Intake for MCP tests: PUBLIC_URL is `http://intake.test` (the issuer and the /mcp
 * resource are known before the port is), behind a trusted loopback proxy. Requests reach
 * it through `mcpFetch`, which plays that proxy.
 */
export function startMcpTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startOAuthTestApp(env);
}

/**
 * `fetch` as a reverse proxy in front of Intake would do it (deploy/nginx.conf): requests
 * for PUBLIC_URL go to the test server, carrying the client's address in X-Forwarded-For
 * and the public host in X-Forwarded-Host; anything else goes out unchanged.
 */
export function mcpFetch(app: IntakeServer, ip = '198.51.100.7') {
  return (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const logical = new URL(url);
    if (logical.origin !== PUBLIC_URL) return fetch(url, init);
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', ip);
    if (!headers.has('x-forwarded-host')) headers.set('x-forwarded-host', MCP_HOST);
    return fetch(new URL(`${logical.pathname}${logical.search}`, app.url), {
      ...init,
      headers,
      redirect: 'manual',
    });
  };
}

/** One raw POST to /mcp, for the HTTP-level checks the SDK client would hide. */
export function postMcp(
  app: IntakeServer,
  body: unknown,
  headers: Record<string, string> = {},
  token?: string,
): Promise<Response> {
  return mcpFetch(app)(MCP_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/**
 * The SDK's OAuthClientProvider for a client with no human at its keyboard: everything
 * in memory, and "opening the browser" only records the URL for the test to drive.
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  information?: OAuthClientInformationMixed;
  stored?: OAuthTokens;
  authorizationUrl?: URL;
  lastState?: string;
  private verifier = '';
  private discovery?: OAuthDiscoveryState;

  constructor(
    readonly redirectUrl = REDIRECT_URI,
    readonly clientMetadataUrl?: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Intake MCP test client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return (this.lastState = randomUUID());
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.information = information;
  }

  tokens() {
    return this.stored;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.stored = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState() {
    return this.discovery;
  }

  /** What the SDK drops after a refused grant or client, before it starts over. */
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    const all = scope === 'all';
    if (all || scope === 'client') this.information = undefined;
    if (all || scope === 'tokens') this.stored = undefined;
    if (all || scope === 'verifier') this.verifier = '';
    if (all || scope === 'discovery') this.discovery = undefined;
  }
}

export interface McpConnection {
  client: Client;
  provider: HeadlessOAuthProvider;
  /** The owner's browser (signed in: it approved the client). */
  browser: OAuthBrowser;
  owner: { id: string; email: string };
  consentHtml: string;
  /** Where Intake sent the browser after consent: the client's redirect URI with the code. */
  callback: URL;
  /** This client's fetch (as one client machine: one IP). */
  fetch: ReturnType<typeof mcpFetch>;
  accessToken(): string;
  /** `tools/call` through the SDK client; the result as MCP defines it. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export function mcpTransport(app: IntakeServer, provider: HeadlessOAuthProvider, ip: string) {
  return new StreamableHTTPClientTransport(new URL(MCP_URL), {
    authProvider: provider,
    fetch: mcpFetch(app, ip),
  });
}

let browsers = 0;

/**
 * What an MCP client does on first contact, for a fresh owner: POST /mcp answers 401, the
 * SDK reads the resource metadata, registers itself (RFC 7591) and builds the PKCE
 * authorization URL; the owner signs up and approves (`choice`: which scopes to leave
 * ticked) on Intake's consent page; the SDK exchanges the code and connects again.
 */
export async function connectMcp(
  app: IntakeServer,
  choice: ConsentChoice = {},
  provider = new HeadlessOAuthProvider(),
): Promise<McpConnection> {
  browsers += 1;
  const ip = `203.0.113.${browsers % 250}`;
  const browser = new OAuthBrowser(app, ip);
  const owner = await browser.signUp();
  const client = new Client({ name: 'intake-tests', version: '1.0.0' });
  const first = await client.connect(mcpTransport(app, provider, ip)).catch((error) => error);
  if (!(first instanceof UnauthorizedError)) throw new Error(`expected a 401 first: ${first}`);
  const outcome = await browser.authorize(provider.authorizationUrl!, choice);
  const callback = outcome.callback;
  const code = callback?.searchParams.get('code');
  if (!callback || !code) throw new Error(`no code: ${callback ?? outcome.page?.html}`);
  const transport = mcpTransport(app, provider, ip);
  await transport.finishAuth(code);
  await client.connect(transport);
  return {
    client,
    provider,
    browser,
    owner,
    consentHtml: outcome.consentHtml ?? '',
    callback,
    fetch: mcpFetch(app, ip),
    accessToken: () => provider.stored!.access_token,
    call: (name, args = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

/** A successful tool result's structured content (fails the test on a tool error). */
export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`tool error: ${textOf(result)}`);
  return result.structuredContent as T;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Posts to a form's public endpoint (its URL is on PUBLIC_URL); answers the submission id. */
export async function submitTo(
  app: IntakeServer,
  endpoint: string,
  data: Record<string, unknown>,
): Promise<string> {
  const response = await mcpFetch(app)(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  if (response.status !== 201) throw new Error(`the endpoint answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * A knowledge base of the connection's owner, made over the REST API (there is no MCP tool
 * that writes one) with an API key the owner's browser creates.
 */
export async function createKnowledgeBase(
  app: IntakeServer,
  owner: McpConnection,
  content: string,
): Promise<string> {
  const key = await owner.browser.browser.json<{ secret: string }>('POST', '/account/api-keys', {
    name: 'knowledge bases',
    scopes: ['knowledge_bases:write'],
  });
  if (key.status !== 201) throw new Error(`POST /account/api-keys answered ${key.status}`);
  const response = await mcpFetch(app)(`${PUBLIC_URL}/api/knowledge_bases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.body.secret}` },
    body: JSON.stringify({ name: 'FAQ', content }),
  });
  if (response.status !== 201)
    throw new Error(`POST /api/knowledge_bases answered ${response.status}`);
  return ((await response.json()) as { knowledge_base: { id: string } }).knowledge_base.id;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export interface BuiltIntake extends IntakeServer {
  close(): Promise<void>;
}

/**
 * The production build as its own process, on PUBLIC_URL `http://intake.test` behind the
 * same trusted loopback proxy (`mcpFetch`): for what only a process can be given, such as
 * NODE_EXTRA_CA_CERTS to trust a test server's self-signed certificate.
 */
export async function startBuiltIntake(env: Record<string, string>): Promise<BuiltIntake> {
  buildDist();
  const database = await createTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = new AppProcess('api', {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL,
    ...database.env,
    SECRET_KEY: randomBytes(32).toString('base64'),
    MIGRATE_ON_BOOT: 'true',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'loopback',
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '10000',
    SESSION_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
  const close = async () => {
    api.kill('SIGKILL');
    await api.exited;
    await database.drop();
  };
  for (let attempt = 0; ; attempt += 1) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, close };
    if (!api.running || attempt > 600) {
      await close();
      throw new Error(`the api did not start:\n${api.output.join('')}`);
    }
    await sleep(100);
  }
}
