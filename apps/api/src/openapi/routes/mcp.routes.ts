import { OAUTH_SCOPES } from '@intake/oauth';
import type { RouteDoc } from '../openapi.route-types';
import { arrayOf, json, object, publicCorsHeaders, RATE } from '../openapi.route-helpers';
import type { JsonSchema } from '../openapi.schemas';

const jsonRpc: JsonSchema = {
  type: 'object',
  description: 'A JSON-RPC 2.0 message of the Model Context Protocol.',
  properties: { jsonrpc: { const: '2.0' } },
  required: ['jsonrpc'],
};

const methodNotAllowed = {
  '405': {
    description:
      'Stateless server: there is no server-to-client stream (GET) and no session (DELETE). ' +
      'A JSON-RPC error without id; `Allow: POST`.',
    content: json(jsonRpc),
  },
};

const resourceMetadata = object({
  resource: { type: 'string', format: 'uri', description: 'The absolute URL of `/mcp`.' },
  authorization_servers: arrayOf({ type: 'string', format: 'uri' }),
  scopes_supported: arrayOf({ enum: [...OAUTH_SCOPES] }),
  bearer_methods_supported: arrayOf({ const: 'header' }),
  resource_name: { type: 'string' },
  resource_documentation: { type: 'string', format: 'uri' },
});

function metadataRoute(path: string, operationId: string, summary: string): RouteDoc {
  return {
    method: 'get',
    path,
    operationId,
    tag: 'Documentation',
    summary,
    description:
      'OAuth 2.0 Protected Resource Metadata (RFC 9728) of `/mcp`: the resource’s absolute ' +
      'URL, its authorization server (the issuer, `PUBLIC_URL`), the scopes a token can ' +
      'carry, and that tokens go in the `Authorization` header. Readable from any origin.',
    auth: { kind: 'public' },
    throttled: true,
    responses: {
      '200': {
        description: 'The metadata.',
        content: json(resourceMetadata),
        headers: publicCorsHeaders,
      },
    },
  };
}

/** The MCP server for AI clients and the metadata that leads them to its OAuth server. */
export const MCP_ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/mcp',
    operationId: 'mcp',
    tag: 'Documentation',
    summary: 'Model Context Protocol endpoint (Streamable HTTP, stateless)',
    description:
      'For MCP clients (Claude, ChatGPT, Cursor, …). Needs `Authorization: Bearer <OAuth ' +
      'access token>` issued by Intake’s own authorization server for this resource ' +
      '(RFC 8707); cookies and API keys are not accepted. Without a valid token: 401 with ' +
      '`WWW-Authenticate: Bearer resource_metadata="<PUBLIC_URL>/.well-known/oauth-protected-resource/mcp", ' +
      'scope="…"` (`error="invalid_token"` for a bad one). A `tools/call` of a tool whose ' +
      'scopes the token lacks: 403 `insufficient_scope`, `WWW-Authenticate: Bearer ' +
      'error="insufficient_scope", scope="<the tool’s scopes>"`, so the client can ask the ' +
      'owner for more. `Host` must be `PUBLIC_URL`’s and `Origin`, when sent, its origin ' +
      '(DNS rebinding), else 403 `forbidden`. `MCP_RATE_LIMIT_PER_MINUTE` (30) requests per minute per owner. Send ' +
      '`Accept: application/json, text/event-stream`; answers are JSON. Tools and their ' +
      'scopes: `tools/list`. Scopes: ' +
      OAUTH_SCOPES.map((scope) => `\`${scope}\``).join(', ') +
      '.',
    auth: { kind: 'oauth' },
    throttled: false,
    body: { content: json({ oneOf: [jsonRpc, arrayOf(jsonRpc)] }), required: true },
    responses: {
      '200': {
        description: 'The JSON-RPC response (tool errors are results with `isError: true`).',
        content: json(jsonRpc),
        headers: RATE,
      },
      '202': { description: 'A notification or response was accepted.', headers: RATE },
      '406': {
        description: '`Accept` does not list both `application/json` and `text/event-stream`.',
        content: json(jsonRpc),
      },
    },
    errors: ['forbidden', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/mcp',
    operationId: 'mcpOpenStream',
    tag: 'Documentation',
    summary: 'Not offered: no server-to-client stream',
    auth: { kind: 'public' },
    throttled: false,
    responses: methodNotAllowed,
  },
  {
    method: 'delete',
    path: '/mcp',
    operationId: 'mcpEndSession',
    tag: 'Documentation',
    summary: 'Not offered: no session to end',
    auth: { kind: 'public' },
    throttled: false,
    responses: methodNotAllowed,
  },
  metadataRoute(
    '/.well-known/oauth-protected-resource/mcp',
    'mcpResourceMetadata',
    'Protected resource metadata of /mcp',
  ),
  metadataRoute(
    '/.well-known/oauth-protected-resource',
    'rootResourceMetadata',
    'Protected resource metadata (root)',
  ),
];
