import {
  connectMcp,
  MCP_URL,
  mcpFetch,
  postMcp,
  PUBLIC_URL,
  startMcpTestApp,
  type McpConnection,
} from '../support/mcp-client';
import type { TestApp } from '../support/test-app';

/**
 * /mcp as an OAuth protected resource: the 401 that starts discovery, the metadata it
 * points to, the DNS-rebinding checks, the scope challenge, the per-owner rate limit, and
 * the methods a stateless server does not offer.
 */
const METADATA_URL = `${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp`;
const ALL_SCOPES =
  'forms:read forms:write submissions:read submissions:write ai:use knowledge_bases:read';
const LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const callTool = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name, arguments: args },
});

let test: TestApp;

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

beforeAll(async () => {
  test = await startMcpTestApp();
});
afterAll(() => test.close());

describe('without a valid token', () => {
  it('answers 401 with the resource metadata URL and every scope', async () => {
    const response = await postMcp(test, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${METADATA_URL}", scope="${ALL_SCOPES}"`,
    );
    expect((await errorOf(response)).code).toBe('unauthorized');
  });

  it.each([
    ['an unknown token', 'Bearer 3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed token', 'Bearer <script>alert(1)</script>'],
    ['a huge token', `Bearer ${'a'.repeat(8000)}`],
    ['latin-1 bytes', 'Bearer tökén'],
  ])('answers 401 invalid_token for %s', async (_, authorization) => {
    const response = await postMcp(test, LIST_TOOLS, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(response.headers.get('www-authenticate')).toContain(
      `resource_metadata="${METADATA_URL}"`,
    );
    expect((await errorOf(response)).code).toBe('invalid_token');
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['two tokens', 'Bearer one two'],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 for %s', async (_, authorization) => {
    const response = await postMcp(test, LIST_TOOLS, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('does not take an API key or the dashboard cookie', async () => {
    const mcp = await connectMcp(test);
    const key = await mcp.browser.browser.json<{ secret: string }>('POST', '/account/api-keys', {
      name: 'not for mcp',
    });
    expect(key.status).toBe(201);
    expect((await postMcp(test, LIST_TOOLS, {}, key.body.secret)).status).toBe(401);
    const cookie = await mcp.browser.browser.request(MCP_URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-forwarded-host': new URL(PUBLIC_URL).host,
        'x-csrf-token': mcp.browser.browser.csrf,
      },
      body: JSON.stringify(LIST_TOOLS),
    });
    expect(cookie.status).toBe(401);
    await mcp.close();
  });
});

describe('protected resource metadata (RFC 9728)', () => {
  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    'is served at %s',
    async (path) => {
      const response = await mcpFetch(test)(`${PUBLIC_URL}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        resource: MCP_URL,
        authorization_servers: [PUBLIC_URL],
        scopes_supported: ALL_SCOPES.split(' '),
        bearer_methods_supported: ['header'],
        resource_name: 'Intake',
        resource_documentation: `${PUBLIC_URL}/api/docs`,
      });
    },
  );

  it('names an issuer whose metadata is there', async () => {
    const response = await mcpFetch(test)(`${PUBLIC_URL}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { issuer: string };
    expect(metadata.issuer).toBe(PUBLIC_URL);
  });
});

describe('with a token', () => {
  let mcp: McpConnection;

  beforeAll(async () => {
    mcp = await connectMcp(test, { grant: ['forms:read'] });
  });
  afterAll(() => mcp.close());

  it('serves the owner within what was granted', async () => {
    const listed = await mcp.client.listTools();
    expect(listed.tools.map((tool) => tool.name)).toContain('list_forms');
    expect((await mcp.call('list_forms')).isError).toBeFalsy();
  });

  it('challenges a tool call beyond the grant with 403 insufficient_scope', async () => {
    const response = await postMcp(
      test,
      callTool('create_form', { name: 'x', slug: 'x' }),
      {},
      mcp.accessToken(),
    );
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate')!;
    expect(challenge).toContain('Bearer error="insufficient_scope", scope="forms:write"');
    expect(challenge).toContain(`resource_metadata="${METADATA_URL}"`);
    expect(await errorOf(response)).toMatchObject({
      code: 'insufficient_scope',
      message: 'The tool create_form needs the scope forms:write',
    });
    // Nothing ran: still no form.
    const forms = await mcp.call('list_forms');
    expect((forms.structuredContent as { forms: unknown[] }).forms).toEqual([]);
  });

  it('names every scope a tool needs, for the client to add to what it has', async () => {
    const response = await postMcp(
      test,
      callTool('draft_reply', {
        form_id: '00000000-0000-4000-8000-000000000000',
        submission_id: '00000000-0000-4000-8000-000000000000',
      }),
      {},
      mcp.accessToken(),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain(
      'scope="submissions:read ai:use knowledge_bases:read"',
    );
  });

  it('challenges a batch that hides such a call among allowed ones', async () => {
    const response = await postMcp(
      test,
      [callTool('list_forms'), { ...callTool('mark_spam', {}), id: 3 }],
      {},
      mcp.accessToken(),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="submissions:write"');
  });

  it('refuses a foreign Origin (DNS rebinding) before anything else', async () => {
    for (const origin of ['http://evil.example', 'null', `${PUBLIC_URL}.evil.example`]) {
      const response = await postMcp(test, LIST_TOOLS, { origin }, mcp.accessToken());
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe('forbidden');
    }
    const own = await postMcp(test, LIST_TOOLS, { origin: PUBLIC_URL }, mcp.accessToken());
    expect(own.status).toBe(200);
  });

  it('refuses a Host other than PUBLIC_URL’s', async () => {
    for (const host of [
      'evil.example',
      '127.0.0.1',
      'intake.test.evil.example',
      'evil@intake.test',
    ]) {
      const response = await postMcp(
        test,
        LIST_TOOLS,
        { 'x-forwarded-host': host },
        mcp.accessToken(),
      );
      expect(response.status).toBe(403);
    }
    const withPort = await postMcp(
      test,
      LIST_TOOLS,
      { 'x-forwarded-host': 'INTAKE.test:80' },
      mcp.accessToken(),
    );
    expect(withPort.status).toBe(200);
  });

  it('answers plain JSON, with the owner’s rate limit headers', async () => {
    const response = await postMcp(test, LIST_TOOLS, {}, mcp.accessToken());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('ratelimit-limit')).toBe('30');
    expect(Number(response.headers.get('ratelimit-remaining'))).toBeLessThan(30);
  });

  it('refuses bodies that are not JSON-RPC, cleanly', async () => {
    const token = mcp.accessToken();
    const notJson = await postMcp(test, '{"jsonrpc":', {}, token);
    expect(notJson.status).toBe(400);
    const text = await mcpFetch(test)(MCP_URL, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const noAccept = await postMcp(test, LIST_TOOLS, { accept: 'application/json' }, token);
    expect(noAccept.status).toBe(406);
    const hostile = await postMcp(test, { __proto__: { admin: true }, jsonrpc: '1.0' }, {}, token);
    expect(hostile.status).toBe(400);
    const empty = await postMcp(test, '', {}, token);
    expect(empty.status).toBe(400);
    const huge = await postMcp(
      test,
      callTool('list_forms', { page: 'x'.repeat(2_000_000) }),
      {},
      token,
    );
    expect(huge.status).toBe(413);
  });
});

describe('methods a stateless server does not offer', () => {
  it.each(['GET', 'DELETE'])('%s /mcp is 405 with Allow: POST', async (method) => {
    const response = await mcpFetch(test)(MCP_URL, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed.' },
      id: null,
    });
  });
});

describe('rate limit', () => {
  it('answers the 31st request of an owner in a minute with 429 and Retry-After', async () => {
    const mcp = await connectMcp(test, { grant: ['forms:read'] });
    const token = mcp.accessToken();
    // The SDK's connection already spent some of the 30 (initialize, initialized).
    let remaining = 30;
    while (remaining > 0) {
      const response = await postMcp(test, LIST_TOOLS, {}, token);
      expect(response.status).toBe(200);
      remaining = Number(response.headers.get('ratelimit-remaining'));
    }
    const refused = await postMcp(test, LIST_TOOLS, {}, token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect((await errorOf(refused)).code).toBe('rate_limited');
    // Per owner: another owner is not affected.
    const other = await connectMcp(test, { grant: ['forms:read'] });
    expect((await postMcp(test, LIST_TOOLS, {}, other.accessToken())).status).toBe(200);
    await mcp.close();
    await other.close();
  });
});
