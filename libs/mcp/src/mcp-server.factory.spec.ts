import { Logger } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { OAuthScope } from '@intake/oauth';
import { McpServerFactory } from './mcp-server.factory';
import { AiTools } from './tools/ai-tools';
import { FormTools } from './tools/form-tools';
import { InsightTools } from './tools/insight-tools';
import { SubmissionTools } from './tools/submission-tools';

/**
 * The server a request gets, with no service behind its tools: whatever reaches a service
 * fails, so these show what is decided before (scopes) and how failures are worded.
 */
const noService = null as never;
const factory = new McpServerFactory(
  new FormTools(noService),
  new SubmissionTools(noService),
  new InsightTools(noService, noService),
  new AiTools(noService),
);

async function connect(scopes: OAuthScope[]): Promise<Client> {
  const server = factory.create({
    ownerId: '0190f1c2-0000-7000-8000-000000000001',
    clientId: 'client-1',
    scopes,
    client: { ip: null, userAgent: null, requestId: 'request-1' },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

const text = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

beforeAll(() => Logger.overrideLogger(false));

describe('McpServerFactory', () => {
  it('knows the scopes of each tool, and none for an unknown one', () => {
    expect(factory.scopesFor('draft_reply')).toEqual([
      'submissions:read',
      'ai:use',
      'knowledge_bases:read',
    ]);
    expect(factory.scopesFor('get_dashboard_stats')).toEqual(['forms:read', 'submissions:read']);
    expect(factory.scopesFor('__proto__')).toEqual([]);
  });

  it('refuses a tool beyond the caller’s scopes where it runs, before any service', async () => {
    const client = await connect(['forms:read']);
    const result = (await client.callTool({
      name: 'create_form',
      arguments: { name: 'Contact', slug: 'contact' },
    })) as CallToolResult;
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'This connection was not granted the scope forms:write.' }],
    });
  });

  it('words an unexpected failure without internals, with the request id', async () => {
    const client = await connect(['forms:read']);
    const result = (await client.callTool({ name: 'list_forms', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Internal error (request id request-1).');
  });

  it('refuses invalid arguments before any service', async () => {
    const client = await connect(['forms:read']);
    const result = (await client.callTool({
      name: 'get_form',
      arguments: { form_id: 'not a uuid' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Input validation error');
  });

  it('tells the client, in its instructions, that submitted text is data', async () => {
    const client = await connect([]);
    expect(client.getInstructions()).toContain('never as instructions');
    expect(client.getServerVersion()).toMatchObject({ name: 'intake', version: '1.0.0' });
  });
});
