import { ERROR_CODES, type ErrorCode } from '@intake/common';
import { OAUTH_SCOPE_DESCRIPTIONS } from '@intake/oauth';
import {
  componentSchemas,
  queryParameters,
  QUERIES,
  ref,
  type JsonSchema,
} from './openapi.schemas';
import { ROUTES, type RouteDoc } from './openapi.routes';

/** The parts of an OpenAPI 3.1 document this module writes (and the HTML page reads). */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: {
    required: boolean;
    description?: string;
    content: Record<string, { schema: JsonSchema }>;
  };
  responses: Record<string, OpenApiResponse>;
  /** Scopes an API key needs, also in `security`; `[]` when the route takes no key. */
  'x-scopes': string[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
  };
}

const TAGS: Record<string, string> = {
  Health: 'Probes for orchestrators, metrics for Prometheus.',
  Session: 'The dashboard’s cookie session; also how a script gets its first API key.',
  Account: 'API keys and the audit trail.',
  Forms: 'Forms and their versioned public endpoints.',
  Submissions: 'What forms received.',
  'Knowledge bases': 'Text that smart replies draw on.',
  Destinations: 'Where processed submissions are sent: signed webhooks, Slack, Discord.',
  'Public form endpoint': 'Where the world submits: no account, CORS, form posts.',
  Documentation: 'This document.',
};

const SECURITY_SCHEMES: Record<string, JsonSchema> = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ik_live_<43 base64url characters>',
    description:
      'An API key: `Authorization: Bearer ik_live_...`. Created in the dashboard (or with ' +
      '`POST /account/api-keys`), shown once, revocable at once. Each operation lists the ' +
      'scopes it needs; a key without them gets 403 `insufficient_scope`.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'intake_session',
    description:
      'The dashboard session, set by sign-up and login: `intake_session`, or ' +
      '`__Host-intake_session` when Intake is served over HTTPS. HttpOnly, SameSite=Lax. ' +
      'Never accepted on `/api/...` bearer routes.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description:
      'With the session cookie, on every unsafe method (POST, PUT, PATCH, DELETE): the token ' +
      'from `GET /auth/csrf` (also returned by sign-up and login). Missing or wrong: 403.',
  },
  mcpOAuth: {
    type: 'oauth2',
    description:
      'For `/mcp` only: an access token from Intake’s own authorization server, bound to the ' +
      '`/mcp` resource (RFC 8707), with PKCE S256. Clients discover it from ' +
      '`/.well-known/oauth-protected-resource/mcp`; see README, "Connecting AI clients".',
    flows: {
      authorizationCode: {
        authorizationUrl: '/oauth/authorize',
        tokenUrl: '/oauth/token',
        refreshUrl: '/oauth/token',
        scopes: OAUTH_SCOPE_DESCRIPTIONS,
      },
    },
  },
  submissionToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ik_sub_<43 base64url characters>',
    description:
      'A private form’s submission token: `Authorization: Bearer ik_sub_...`. Public forms ' +
      'need none.',
  },
};

const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({
  description,
  schema,
});

const HEADERS: Record<string, JsonSchema> = {
  'RateLimit-Limit': header('Requests allowed per minute for this caller.', { type: 'integer' }),
  'RateLimit-Remaining': header('Requests left in the current window.', { type: 'integer' }),
  'RateLimit-Reset': header('Seconds until the window resets.', { type: 'integer' }),
  'Retry-After': header('Seconds to wait before retrying.', { type: 'integer' }),
  'X-Request-Id': header('The request’s id (a well-formed incoming one is reused).'),
  'Set-Cookie': header('The session cookie.'),
  Location: header('Where to go next.', { type: 'string', format: 'uri-reference' }),
  'WWW-Authenticate': header('`Bearer`, with `error=` and `scope=` when it applies.'),
  'Access-Control-Allow-Origin': header('`*`, or the request’s `Origin` when it is allowed.'),
  'Access-Control-Allow-Methods': header('`GET, POST, OPTIONS`.'),
  'Access-Control-Allow-Headers': header('`Content-Type, Authorization, Idempotency-Key`.'),
  'Access-Control-Max-Age': header('Seconds a preflight may be cached (600).', {
    type: 'integer',
  }),
};

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/** The security requirement of a route, as OpenAPI writes it. */
function securityOf(route: RouteDoc): Record<string, string[]>[] {
  switch (route.auth.kind) {
    case 'public':
      return [];
    case 'session':
      return [
        UNSAFE.has(route.method) ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] },
      ];
    case 'api_key':
      return [{ apiKey: route.auth.scopes }];
    case 'submission_token':
      return [{}, { submissionToken: [] }];
    case 'oauth':
      return [{ mcpOAuth: [] }];
  }
}

function authText(route: RouteDoc): string {
  switch (route.auth.kind) {
    case 'public':
      return route.auth.sameOrigin
        ? 'No authentication; a browser `Origin` must be Intake’s own.'
        : 'No authentication.';
    case 'session': {
      const cookie = UNSAFE.has(route.method)
        ? 'Dashboard session cookie and `X-CSRF-Token`.'
        : 'Dashboard session cookie.';
      return route.auth.recentAuth
        ? `${cookie} Sensitive: needs a recent sign-in, password or 2FA proof ` +
            '(`POST /auth/reauthenticate`), else 403 `reauthentication_required`.'
        : cookie;
    }
    case 'api_key':
      return `API key with scope${route.auth.scopes.length === 1 ? '' : 's'} ${route.auth.scopes
        .map((scope) => `\`${scope}\``)
        .join(', ')}.`;
    case 'submission_token':
      return 'None for public forms; `Authorization: Bearer ik_sub_...` for private forms.';
    case 'oauth':
      return 'An OAuth access token for `/mcp` (`mcpOAuth`); never a cookie or an API key.';
  }
}

/** Every error a route can answer: its own, plus those its auth, body, query and path imply. */
export function errorsOf(route: RouteDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.auth.kind === 'api_key' || route.auth.kind === 'oauth') {
    codes.add('unauthorized').add('invalid_token').add('insufficient_scope');
  }
  if (route.auth.kind === 'session') {
    codes.add('unauthorized');
    if (UNSAFE.has(route.method)) codes.add('forbidden');
    if (route.auth.recentAuth) codes.add('reauthentication_required');
  }
  if (route.throttled) codes.add('rate_limited');
  if (route.query) codes.add('invalid_params');
  if (route.body && Object.keys(route.body.content).length === 1) {
    // JSON-only routes: body-parser and the content-type guard.
    codes
      .add('invalid_params')
      .add('payload_too_large')
      .add('unsupported_media_type')
      .add('validation_error');
  }
  return Object.keys(ERROR_CODES).filter((code) => codes.has(code as ErrorCode)) as ErrorCode[];
}

function errorResponses(route: RouteDoc): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(route)) {
    const status = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, codes] of byStatus) {
    const headers: Record<string, { $ref: string }> = {
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
    };
    if (status === 429) headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
    if (status === 401 || codes.includes('insufficient_scope')) {
      headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
    }
    responses[String(status)] = {
      description: `Error: ${codes.map((code) => `\`${code}\``).join(' or ')}.`,
      headers,
      content: {
        'application/json': {
          schema: {
            allOf: [
              ref('Error'),
              { properties: { error: { properties: { code: { enum: codes } } } } },
            ],
          },
        },
      },
    };
  }
  responses['5XX'] = {
    description:
      'Error: `internal_error` (500; quote `request_id`) or `unavailable` (503; retry later).',
    content: { 'application/json': { schema: ref('Error') } },
  };
  return responses;
}

function parametersOf(route: RouteDoc): OpenApiParameter[] {
  const parameters: OpenApiParameter[] = [];
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    const parameter = route.pathParameters?.[name!];
    if (!parameter) throw new Error(`${route.method} ${route.path}: describe {${name}}`);
    parameters.push({ name: name!, in: 'path', required: true, ...parameter });
  }
  if (route.query) {
    for (const query of queryParameters(QUERIES[route.query])) {
      parameters.push({ in: 'query', ...query });
    }
  }
  for (const header of route.headers ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: header.schema,
    });
  }
  return parameters;
}

function operationOf(route: RouteDoc): OpenApiOperation {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers?.length
        ? {
            headers: Object.fromEntries(
              response.headers.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
            ),
          }
        : {}),
      ...(response.content
        ? {
            content: Object.fromEntries(
              Object.entries(response.content).map(([type, schema]) => [type, { schema }]),
            ),
          }
        : {}),
    };
  }
  const parameters = parametersOf(route);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [`**Auth:** ${authText(route)}`, route.description].filter(Boolean).join('\n\n'),
    security: securityOf(route),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: Object.fromEntries(
              Object.entries(route.body.content).map(([type, schema]) => [type, { schema }]),
            ),
          },
        }
      : {}),
    responses: { ...responses, ...errorResponses(route) },
    'x-scopes': route.auth.kind === 'api_key' ? [...route.auth.scopes] : [],
  };
}

const DESCRIPTION = `The HTTP API of Intake, a self-hostable form backend.

- JSON everywhere, snake_case keys; management responses are wrapped in the resource's name.
- Errors have one shape, \`{"error": {"code", "message", "details"?, "retry_after"?, "request_id"?}}\`;
  switch on \`code\`. Another account's resource is a 404, never a 403.
- Authenticated responses carry \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\`;
  429 carries \`Retry-After\`.
- A readable version of this document is at \`/api/docs\`; the guide is \`docs/api.md\`.`;

/** Builds the OpenAPI 3.1 document of every route (see openapi.routes.ts). */
export function buildOpenApiDocument(options: {
  publicUrl: string;
  version: string;
}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of ROUTES) {
    (paths[route.path] ??= {})[route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: { title: 'Intake API', version: options.version, description: DESCRIPTION },
    servers: [{ url: options.publicUrl }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: SECURITY_SCHEMES,
      headers: HEADERS,
    },
  };
}
