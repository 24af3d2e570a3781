import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { fakeModel, KNOWLEDGE_BASE } from '../support/ai-test-app';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import {
  connectMcp,
  createKnowledgeBase,
  HeadlessOAuthProvider,
  MCP_URL,
  mcpTransport,
  postMcp,
  PUBLIC_URL,
  REDIRECT_URI,
  startBuiltIntake,
  startMcpTestApp,
  structured,
  submitTo,
  type BuiltIntake,
  type McpConnection,
} from '../support/mcp-client';
import {
  startMetadataDocumentServer,
  type MetadataDocumentServer,
} from '../support/oauth-metadata-documents';
import type { TestApp } from '../support/test-app';

/**
 * What an MCP client such as Claude Desktop does with a self-hosted Intake, done by the
 * official SDK client with an OAuthClientProvider and nothing but the server's URL: the
 * 401 leads it to the resource metadata, then the authorization server's; it registers
 * itself, runs the code flow with PKCE (the owner signs up and approves on Intake's
 * consent page, over HTTP), calls every tool, refreshes its token, and is refused as soon
 * as the owner disconnects it.
 */
const ALL_SCOPES =
  'forms:read forms:write submissions:read submissions:write ai:use knowledge_bases:read';
const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

let fake: FakeOpenAi;
let test: TestApp;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  fake.answer = fakeModel;
  test = await startMcpTestApp({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: fake.baseUrl,
    MCP_RATE_LIMIT_PER_MINUTE: '1000',
  });
});
afterAll(async () => {
  await test.close();
  await fake.close();
});

/** The SDK's own refresh, as its transport runs it on a 401. */
function refresh(connection: McpConnection, provider = connection.provider) {
  return auth(provider, { serverUrl: new URL(MCP_URL), fetchFn: connection.fetch });
}

async function disconnect(connection: McpConnection): Promise<void> {
  const { browser } = connection.browser;
  const listed = await browser.json<{ oauth_clients: { id: string; name: string }[] }>(
    'GET',
    '/account/oauth-clients',
  );
  expect(listed.body.oauth_clients.map((client) => client.name)).toEqual([
    'Intake MCP test client',
  ]);
  const removed = await browser.json(
    'DELETE',
    `/account/oauth-clients/${listed.body.oauth_clients[0]!.id}`,
  );
  expect(removed.status).toBe(200);
}

describe('a client registered dynamically (RFC 7591)', () => {
  let mcp: McpConnection;

  beforeAll(async () => {
    mcp = await connectMcp(test);
  });
  afterAll(() => mcp.close());

  it('found everything from the 401 and authorized with PKCE S256 for /mcp', () => {
    const discovery = mcp.provider.discoveryState();
    expect(discovery?.resourceMetadata?.resource).toBe(MCP_URL);
    expect(discovery?.authorizationServerUrl).toBe(PUBLIC_URL);
    expect(mcp.provider.information?.client_id).toEqual(expect.any(String));
    const request = mcp.provider.authorizationUrl!;
    expect(request.origin + request.pathname).toBe(`${PUBLIC_URL}/oauth/authorize`);
    expect(Object.fromEntries(request.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: mcp.provider.information!.client_id,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      resource: MCP_URL,
      scope: ALL_SCOPES,
      state: mcp.provider.lastState,
    });
    // RFC 9207: the response names its issuer; the state came back.
    expect(mcp.callback.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(mcp.callback.searchParams.get('state')).toBe(mcp.provider.lastState);
    expect(mcp.consentHtml).toContain('Intake MCP test client');
    expect(mcp.provider.stored?.scope?.split(' ').sort()).toEqual(ALL_SCOPES.split(' ').sort());
  });

  it('calls every tool', async () => {
    const knowledgeBaseId = await createKnowledgeBase(test, mcp, KNOWLEDGE_BASE);
    const { form } = structured<{ form: { id: string; endpoint: string } }>(
      await mcp.call('create_form', {
        name: 'Contact',
        slug: 'contact',
        fields_schema: {
          fields: [
            { name: 'email', type: 'email', rules: [{ op: 'required' }] },
            { name: 'message', type: 'string', rules: [] },
          ],
        },
        knowledge_base_id: knowledgeBaseId,
      }),
    );
    const submission = await submitTo(test, form.endpoint, {
      email: 'ada@example.com',
      message: 'Bonjour, vendez-vous des chaises ?',
    });
    const target = { form_id: form.id, submission_id: submission };
    const calls: [string, Record<string, unknown>][] = [
      ['list_forms', {}],
      ['get_form', { form_id: form.id }],
      ['update_form', { form_id: form.id, intent: 'Questions about chairs' }],
      ['list_submissions', { form_id: form.id, filter: 'all', limit: 5 }],
      ['get_submission', target],
      ['search_submissions', { query: 'chaises' }],
      ['get_dashboard_stats', {}],
      ['summarize_submissions', { form_id: form.id }],
      ['translate_submission', { ...target, target_language: 'en' }],
      ['analyze_spam', target],
      ['draft_reply', target],
      ['mark_spam', { ...target, spam: false }],
    ];
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ['create_form', ...calls.map(([name]) => name)].sort(),
    );
    for (const [name, args] of calls) {
      const result = await mcp.call(name, args);
      expect({ name, error: result.isError ?? false }).toEqual({ name, error: false });
      expect(result.structuredContent).toEqual(expect.any(Object));
    }
  });

  it('refreshes its token, and the refresh token rotates', async () => {
    const before = mcp.provider.stored!;
    expect(before.refresh_token).toEqual(expect.any(String));
    expect(await refresh(mcp)).toBe('AUTHORIZED');
    const after = mcp.provider.stored!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect((await mcp.call('list_forms')).isError).toBeFalsy();
    expect((await postMcp(test, LIST_TOOLS, {}, after.access_token)).status).toBe(200);
  });

  it('a replayed refresh token is refused, and ends the whole family', async () => {
    const stolen = new HeadlessOAuthProvider();
    stolen.information = mcp.provider.information;
    stolen.saveTokens({ ...mcp.provider.stored! });
    expect(await refresh(mcp)).toBe('AUTHORIZED');
    // The copy still holds the refresh token that was just used: a replay.
    expect(await refresh(mcp, stolen)).toBe('REDIRECT');
    expect(stolen.stored).toBeUndefined();
    const current = await postMcp(test, LIST_TOOLS, {}, mcp.provider.stored!.access_token);
    expect(current.status).toBe(401);
  });
});

describe('after the owner disconnects the client', () => {
  it('refuses its access token at once, and its refresh token', async () => {
    const mcp = await connectMcp(test);
    const token = mcp.accessToken();
    expect((await postMcp(test, LIST_TOOLS, {}, token)).status).toBe(200);
    await disconnect(mcp);
    const refused = await postMcp(test, LIST_TOOLS, {}, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The SDK client cannot refresh its way back in: it is sent to the authorization page.
    const call = await mcp.call('list_forms').catch((error: unknown) => error);
    expect(call).toBeInstanceOf(UnauthorizedError);
    expect(await refresh(mcp)).toBe('REDIRECT');
    await mcp.close();
  });

  it('a client that never connected gets the 401 that starts it all', async () => {
    const provider = new HeadlessOAuthProvider();
    const client = new Client({ name: 'late', version: '1.0.0' });
    const transport = mcpTransport(test, provider, '198.51.100.99');
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(MCP_URL);
  });
});

describe('a client identified by a metadata document URL (CIMD)', () => {
  const PATH = '/mcp-client.json';
  let docs: MetadataDocumentServer;
  let intake: BuiltIntake;

  // The document server's certificate is self-signed: the api, as its own process, trusts
  // it through NODE_EXTRA_CA_CERTS, and reaches loopback with ALLOW_PRIVATE_DESTINATIONS.
  beforeAll(async () => {
    docs = await startMetadataDocumentServer((origin) => ({
      [PATH]: {
        ...new HeadlessOAuthProvider().clientMetadata,
        client_id: `${origin}${PATH}`,
      },
    }));
    intake = await startBuiltIntake({
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      NODE_EXTRA_CA_CERTS: docs.caFile,
    });
  }, 180_000);
  afterAll(async () => {
    await intake?.close();
    await docs?.close();
  });

  it('connects without registering, calls tools, refreshes, and is refused once disconnected', async () => {
    const clientId = `${docs.origin}${PATH}`;
    const mcp = await connectMcp(intake, {}, new HeadlessOAuthProvider(REDIRECT_URI, clientId));
    expect(mcp.provider.information?.client_id).toBe(clientId);
    expect(mcp.provider.authorizationUrl?.searchParams.get('client_id')).toBe(clientId);
    expect(mcp.consentHtml).toContain(`id="client-id">${clientId}<`);
    expect(docs.fetches.get(PATH)).toBe(1);

    const { form } = structured<{ form: { id: string } }>(
      await mcp.call('create_form', { name: 'Contact', slug: 'contact' }),
    );
    expect(structured(await mcp.call('get_form', { form_id: form.id }))).toMatchObject({
      form: { id: form.id },
    });
    expect(structured(await mcp.call('get_dashboard_stats'))).toMatchObject({ forms: 1 });

    expect(await refresh(mcp)).toBe('AUTHORIZED');
    const token = mcp.accessToken();
    expect((await postMcp(intake, LIST_TOOLS, {}, token)).status).toBe(200);
    await disconnect(mcp);
    expect((await postMcp(intake, LIST_TOOLS, {}, token)).status).toBe(401);
    expect(await refresh(mcp)).toBe('REDIRECT');
    await mcp.close();
  });
});
