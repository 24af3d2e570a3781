import type { ApiScope } from '@intake/auth';
import type { ErrorCode } from '@intake/common';
import { DESTINATION_ROUTES } from '../destinations/destinations.openapi';
import { ref, type JsonSchema, type QUERIES } from './openapi.schemas';

/**
 * Every route of the api, as the OpenAPI document describes it. The e2e test compares this
 * table with the routes Nest actually registers, so a new controller method without an
 * entry here fails the suite.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** How the route authenticates: mirrors `@Public()`, `@SessionAuth()`, `@ApiKeyAuth(...)`. */
export type RouteAuth =
  | { kind: 'public'; sameOrigin?: boolean }
  | { kind: 'session' }
  | { kind: 'api_key'; scopes: ApiScope[] }
  /** Public form endpoints: anyone, plus a submission token for private forms. */
  | { kind: 'submission_token' };

export interface SuccessResponse {
  description: string;
  /** media type -> schema (`{}` for free-form). */
  content?: Record<string, JsonSchema>;
  /** Names of `components.headers` this answer carries. */
  headers?: string[];
}

export interface HeaderParameter {
  name: string;
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/forms/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** Whether the per-caller rate limit applies (every route without `@SkipThrottle()`). */
  throttled: boolean;
  /** Descriptions and schemas of the `{name}` segments of `path`. */
  pathParameters?: Record<string, { description: string; schema: JsonSchema }>;
  query?: keyof typeof QUERIES;
  headers?: HeaderParameter[];
  /** media type -> schema; `application/json` unless said otherwise. */
  body?: { content: Record<string, JsonSchema>; required: boolean; description?: string };
  responses: Record<string, SuccessResponse>;
  /** Errors this route itself can answer, on top of those its auth, body and query imply. */
  errors?: ErrorCode[];
}

const json = (schema: JsonSchema) => ({ 'application/json': schema });
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const page = (key: string, item: JsonSchema): JsonSchema =>
  object({ [key]: arrayOf(item), meta: ref('PageMeta') });

const uuidParameter = (what: string) => ({
  description: `${what} id (UUID). A malformed id is 404, like an unknown one.`,
  schema: { type: 'string', format: 'uuid' },
});
const FORM_ID = { id: uuidParameter('Form') };
const KNOWLEDGE_BASE_ID = { id: uuidParameter('Knowledge base') };
const SUBMISSION_IDS = {
  form_id: uuidParameter('Form'),
  id: uuidParameter('Submission'),
};

const PUBLIC_FORM_PARAMETERS = {
  opaque: {
    description:
      'Server-made, unguessable segment naming one form version (43 base64url characters). ' +
      'A malformed or forged one is 401 `invalid_token`.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
  slug: {
    description:
      'The form’s slug, for people reading the URL. Cosmetic: the opaque segment alone ' +
      'decides the form, so an endpoint keeps working after the slug changes.',
    schema: { type: 'string' },
  },
};

const session = { kind: 'session' } as const;
const apiKey = (...scopes: ApiScope[]) => ({ kind: 'api_key', scopes }) as const;
const RATE = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

const SUBMISSION_BODY_DESCRIPTION =
  'The submitted values by field name. Unknown fields are dropped and counted in ' +
  '`metadata.dropped_fields`; values are coerced to the field types. Size limit: ' +
  '`SUBMISSION_BODY_LIMIT_BYTES` (64 KiB by default).';
const formPost: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description:
    'A plain HTML form post (fields only; a file part is 415). Answered with a 303 redirect.',
};

const publicCorsHeaders = ['Access-Control-Allow-Origin'];

export const ROUTES: RouteDoc[] = [
  // ------------------------------------------------------------------ health
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Health',
    summary: 'Liveness probe',
    description: 'Never touches a dependency.',
    auth: { kind: 'public' },
    throttled: false,
    responses: {
      '200': {
        description: 'The process is up.',
        content: json(object({ status: { const: 'ok' } })),
      },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    tag: 'Health',
    summary: 'Readiness probe',
    description: 'Ready when the database answers and has no pending migration.',
    auth: { kind: 'public' },
    throttled: false,
    responses: {
      '200': {
        description: 'Ready to serve.',
        content: json(object({ status: { const: 'ready' } })),
      },
    },
    errors: ['unavailable'],
  },

  // ------------------------------------------------------------------ dashboard session
  {
    method: 'post',
    path: '/auth/signup',
    operationId: 'signup',
    tag: 'Session',
    summary: 'Create an account and sign in',
    description:
      'Sets the session cookie. A browser `Origin` other than `PUBLIC_URL` is refused (403); ' +
      'scripts that send no `Origin` are fine.',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: { content: json(ref('SignupInput')), required: true },
    responses: {
      '201': {
        description: 'Signed up and signed in; the session cookie is set.',
        content: json(object({ user: ref('User'), csrf_token: { type: 'string' } })),
        headers: ['Set-Cookie', ...RATE],
      },
    },
    errors: ['forbidden', 'conflict'],
  },
  {
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    tag: 'Session',
    summary: 'Sign in',
    description:
      'A wrong e-mail or a wrong password is the same 401, in the same time. Repeated ' +
      'failures are rate limited (429). Same-origin rule as for sign-up.',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: { content: json(ref('LoginInput')), required: true },
    responses: {
      '200': {
        description: 'Signed in; the session cookie is set.',
        content: json(object({ user: ref('User'), csrf_token: { type: 'string' } })),
        headers: ['Set-Cookie', ...RATE],
      },
    },
    errors: ['unauthorized', 'forbidden'],
  },
  {
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    tag: 'Session',
    summary: 'Sign out (ends the current session)',
    auth: session,
    throttled: true,
    responses: {
      '204': { description: 'Signed out; the cookie is cleared.', headers: ['Set-Cookie'] },
    },
  },
  {
    method: 'get',
    path: '/auth/csrf',
    operationId: 'csrfToken',
    tag: 'Session',
    summary: 'The CSRF token of the current session',
    description:
      'Send it as `X-CSRF-Token` (or a `_csrf` form field) on every state-changing cookie request.',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'The token; it changes when the session does.',
        content: json(object({ csrf_token: { type: 'string' } })),
        headers: RATE,
      },
    },
  },

  // ------------------------------------------------------------------ account
  {
    method: 'post',
    path: '/account/api-keys',
    operationId: 'createApiKey',
    tag: 'Account',
    summary: 'Create an API key',
    description:
      'Session only: a key cannot mint keys. Omitting `scopes` gives every scope. The secret ' +
      '(`ik_live_` + 43 base64url characters) is in this answer only; Intake keeps its SHA-256.',
    auth: session,
    throttled: true,
    body: { content: json(ref('CreateApiKeyInput')), required: true },
    responses: {
      '201': {
        description: 'Created. Store `secret` now: it is never shown again.',
        content: json(
          object({
            api_key: ref('ApiKey'),
            secret: { type: 'string', pattern: '^ik_live_[A-Za-z0-9_-]{43}$' },
          }),
        ),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/account/api-keys',
    operationId: 'listApiKeys',
    tag: 'Account',
    summary: 'List API keys (never their secrets)',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'Every live key of the account.',
        content: json(object({ api_keys: arrayOf(ref('ApiKey')) })),
        headers: RATE,
      },
    },
  },
  {
    method: 'delete',
    path: '/account/api-keys/{id}',
    operationId: 'revokeApiKey',
    tag: 'Account',
    summary: 'Revoke an API key at once',
    auth: session,
    throttled: true,
    pathParameters: { id: uuidParameter('API key') },
    responses: {
      '200': {
        description: 'The revoked key.',
        content: json(object({ api_key: ref('ApiKey') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/account/audit-log',
    operationId: 'auditLogForSession',
    tag: 'Account',
    summary: 'The account’s audit trail (dashboard)',
    description: 'Newest first. Bearer twin: `GET /api/audit-log`.',
    auth: session,
    throttled: true,
    query: 'auditLog',
    responses: {
      '200': {
        description: 'One page of events.',
        content: json(page('data', ref('AuditEvent'))),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/audit-log',
    operationId: 'auditLog',
    tag: 'Account',
    summary: 'The account’s audit trail',
    description: 'Newest first. Session twin: `GET /account/audit-log`.',
    auth: apiKey('audit:read'),
    throttled: true,
    query: 'auditLog',
    responses: {
      '200': {
        description: 'One page of events.',
        content: json(page('data', ref('AuditEvent'))),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/dev/mailbox',
    operationId: 'devMailbox',
    tag: 'Account',
    summary: 'Mail sent to you by the log mailer (development only)',
    description:
      'Only when no `SMTP_URL` is set and `NODE_ENV` is not `production` (404 otherwise): the last messages the log mailer kept that were addressed to the signed-in user, newest first.',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'Kept messages.',
        content: json(
          object({
            messages: {
              type: 'array',
              items: object({
                id: { type: 'string' },
                to: { type: 'array', items: { type: 'string' } },
                subject: { type: 'string' },
                text: { type: 'string' },
                html: { type: ['string', 'null'] },
                headers: { type: 'object', additionalProperties: { type: 'string' } },
                sent_at: { type: 'string', format: 'date-time' },
              }),
            },
          }),
        ),
        headers: RATE,
      },
    },
  },

  // ------------------------------------------------------------------ forms
  {
    method: 'post',
    path: '/api/forms',
    operationId: 'createForm',
    tag: 'Forms',
    summary: 'Create a form',
    description:
      'A private form gets a submission token (`ik_sub_...`), returned in this answer only. ' +
      'Cross-field rules: `smart_reply_enabled` needs `knowledge_base_id`; ' +
      '`smart_reply_email_field` must name an `email` field; `auto` smart replies need it. ' +
      'A slug already used by another of your forms is 422 on `slug`.',
    auth: apiKey('forms:write'),
    throttled: true,
    body: { content: json(ref('CreateFormInput')), required: true },
    responses: {
      '201': {
        description: 'Created.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/forms',
    operationId: 'listForms',
    tag: 'Forms',
    summary: 'List forms',
    auth: apiKey('forms:read'),
    throttled: true,
    query: 'listForms',
    responses: {
      '200': {
        description: 'One page of forms.',
        content: json(page('forms', ref('FormSummary'))),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/forms/{id}',
    operationId: 'getForm',
    tag: 'Forms',
    summary: 'Get a form',
    auth: apiKey('forms:read'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'put',
    path: '/api/forms/{id}',
    operationId: 'updateForm',
    tag: 'Forms',
    summary: 'Update a form (any subset of its fields)',
    description:
      'Fields left out keep their values. A changed `fields_schema` makes a new `version` with ' +
      'a new `endpoint`; older endpoints keep validating against their own version. Turning a ' +
      'form private returns its first `submission_token` (once); turning it public drops it.',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    body: { content: json(ref('UpdateFormInput')), required: true },
    responses: {
      '200': {
        description: 'The updated form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/forms/{id}',
    operationId: 'deleteForm',
    tag: 'Forms',
    summary: 'Delete a form and its submissions',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The deleted form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/forms/{id}/submission_token',
    operationId: 'replaceSubmissionToken',
    tag: 'Forms',
    summary: 'Replace a private form’s submission token',
    description: 'The old token stops working at once. A public form has none: 409.',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The form with its new `submission_token` (shown once).',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found', 'conflict'],
  },

  // ------------------------------------------------------------------ submissions
  {
    method: 'get',
    path: '/api/forms/{form_id}/submissions',
    operationId: 'listSubmissions',
    tag: 'Submissions',
    summary: 'List a form’s submissions',
    description: '`filter=inbox` (default) hides spam; `spam` shows only spam; `all` both.',
    auth: apiKey('submissions:read'),
    throttled: true,
    pathParameters: { form_id: uuidParameter('Form') },
    query: 'listSubmissions',
    responses: {
      '200': {
        description: 'One page of submissions.',
        content: json(page('data', ref('Submission'))),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/forms/{form_id}/submissions/export',
    operationId: 'exportSubmissions',
    tag: 'Submissions',
    summary: 'Export a form’s submissions (streamed)',
    description:
      'Same filters as the listing, no pagination; sent as an attachment ' +
      '(`Content-Disposition`, `Cache-Control: no-store`). `csv` (default): fixed columns ' +
      '(`id`, `created_at`, `form_version`, `spam`, `processing_status`), one column per ' +
      'field of the latest version (honeypots left out), then `metadata_ip`, ' +
      '`metadata_user_agent`, `metadata_referer`, `metadata_origin`. `ndjson`: one ' +
      'Submission object per line, every version’s fields included. A failure after the ' +
      'first byte cuts the connection (the file is then incomplete).',
    auth: apiKey('submissions:read'),
    throttled: true,
    pathParameters: { form_id: uuidParameter('Form') },
    query: 'exportSubmissions',
    responses: {
      '200': {
        description: 'The export, streamed.',
        content: {
          'text/csv': {
            type: 'string',
            description:
              'UTF-8 with a byte-order mark, a header row first; cells starting with =, +, -, @, ' +
              'tab or CR are escaped against formula injection.',
          },
          'application/x-ndjson': {
            type: 'string',
            description: 'One JSON Submission per line.',
            contentSchema: ref('Submission'),
          },
        },
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/forms/{form_id}/submissions/{id}',
    operationId: 'getSubmission',
    tag: 'Submissions',
    summary: 'Get a submission',
    auth: apiKey('submissions:read'),
    throttled: true,
    pathParameters: SUBMISSION_IDS,
    responses: {
      '200': {
        description: 'The submission.',
        content: json(object({ submission: ref('Submission') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'patch',
    path: '/api/forms/{form_id}/submissions/{id}',
    operationId: 'updateSubmission',
    tag: 'Submissions',
    summary: 'Move a submission between inbox and spam',
    auth: apiKey('submissions:write'),
    throttled: true,
    pathParameters: SUBMISSION_IDS,
    body: { content: json(ref('UpdateSubmissionInput')), required: true },
    responses: {
      '200': {
        description: 'The updated submission.',
        content: json(object({ submission: ref('Submission') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/forms/{form_id}/submissions/{id}',
    operationId: 'deleteSubmission',
    tag: 'Submissions',
    summary: 'Delete a submission',
    auth: apiKey('submissions:write'),
    throttled: true,
    pathParameters: SUBMISSION_IDS,
    responses: {
      '200': {
        description: 'The deleted submission.',
        content: json(object({ submission: ref('Submission') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },

  // ------------------------------------------------------------------ knowledge bases
  {
    method: 'post',
    path: '/api/knowledge_bases',
    operationId: 'createKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Create a knowledge base',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    body: { content: json(ref('CreateKnowledgeBaseInput')), required: true },
    responses: {
      '201': {
        description: 'Created.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/knowledge_bases',
    operationId: 'listKnowledgeBases',
    tag: 'Knowledge bases',
    summary: 'List knowledge bases',
    description: 'Not paginated.',
    auth: apiKey('knowledge_bases:read'),
    throttled: true,
    responses: {
      '200': {
        description: 'Every knowledge base of the account.',
        content: json(object({ knowledge_bases: arrayOf(ref('KnowledgeBase')) })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/knowledge_bases/{id}',
    operationId: 'getKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Get a knowledge base',
    auth: apiKey('knowledge_bases:read'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    responses: {
      '200': {
        description: 'The knowledge base.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'put',
    path: '/api/knowledge_bases/{id}',
    operationId: 'updateKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Update a knowledge base',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    body: { content: json(ref('UpdateKnowledgeBaseInput')), required: true },
    responses: {
      '200': {
        description: 'The updated knowledge base.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/knowledge_bases/{id}',
    operationId: 'deleteKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Delete a knowledge base',
    description: 'Smart replies are turned off on every form that used it; their slugs are listed.',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    responses: {
      '200': {
        description:
          'The deleted knowledge base and the forms whose smart replies were turned off.',
        content: json(
          object({
            knowledge_base: ref('KnowledgeBase'),
            smart_reply_disabled_on: arrayOf({ type: 'string', description: 'A form slug.' }),
          }),
        ),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },

  // ------------------------------------------------------------------ documentation
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Documentation',
    summary: 'This OpenAPI 3.1 document',
    auth: { kind: 'public' },
    throttled: false,
    responses: {
      '200': {
        description: 'The document.',
        content: json({ type: 'object', description: 'An OpenAPI 3.1 document.' }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/docs',
    operationId: 'apiDocsPage',
    tag: 'Documentation',
    summary: 'This document as a readable HTML page',
    auth: { kind: 'public' },
    throttled: false,
    responses: {
      '200': {
        description: 'The page (no script, no inline style).',
        content: { 'text/html': {} },
      },
    },
  },

  // ------------------------------------------------------------------ public form endpoint
  // Last, as in the app: its pattern must not shadow the fixed /api routes above.
  {
    method: 'get',
    path: '/api/{opaque}/f/{slug}',
    operationId: 'describeForm',
    tag: 'Public form endpoint',
    summary: 'Describe a form version (self-documenting endpoint)',
    description:
      '`Accept: application/json` (the default) gives the contract; `Accept: text/html` a ' +
      'readable page of it (not a fillable form). No account or token needed, also for ' +
      'private forms. Readable from any origin unless the form sets `allowed_origins`.',
    auth: { kind: 'public' },
    throttled: false,
    pathParameters: PUBLIC_FORM_PARAMETERS,
    responses: {
      '200': {
        description: 'The form version’s contract.',
        content: { 'application/json': ref('FormDescription'), 'text/html': {} },
        headers: publicCorsHeaders,
      },
    },
    errors: ['invalid_token', 'form_not_found'],
  },
  {
    method: 'post',
    path: '/api/{opaque}/f/{slug}',
    operationId: 'submitForm',
    tag: 'Public form endpoint',
    summary: 'Submit to a form version',
    description:
      'JSON is the contract: 201 with the stored values, 422 with per-field messages. ' +
      'Form posts (`application/x-www-form-urlencoded`, `multipart/form-data`) are answered ' +
      'with 303: to the form’s `redirect_url` (or `/api/{opaque}/f/{slug}/thanks`) on ' +
      'success; on a validation failure back to the posting page (its `Referer`) with ' +
      '`intake_error=validation_error&intake_fields=<names>` added, or a JSON 422 when there ' +
      'is no usable `Referer`. Private forms need `Authorization: Bearer ik_sub_...`. ' +
      'With `allowed_origins` set, a browser `Origin` not listed is 403 and nothing is ' +
      'stored; a request without `Origin` (a server, curl) is accepted. Spam gets the same ' +
      '201 and is stored flagged. The 201 is sent only once the submission is committed. ' +
      'Accepted submissions per minute and IP are capped by the form’s `ip_rate_limit`.',
    auth: { kind: 'submission_token' },
    throttled: false,
    pathParameters: PUBLIC_FORM_PARAMETERS,
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'Scoped to the form. A replay with the same body answers the original submission ' +
          'with 200; with another body, 409.',
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,256}$' },
      },
    ],
    body: {
      required: true,
      description: SUBMISSION_BODY_DESCRIPTION,
      content: {
        'application/json': { type: 'object', additionalProperties: true },
        'application/x-www-form-urlencoded': formPost,
        'multipart/form-data': formPost,
      },
    },
    responses: {
      '201': {
        description: 'Stored (JSON bodies).',
        content: json(ref('SubmissionAcknowledgement')),
        headers: publicCorsHeaders,
      },
      '200': {
        description: 'An idempotent replay: the original submission.',
        content: json(ref('SubmissionAcknowledgement')),
        headers: publicCorsHeaders,
      },
      '303': {
        description:
          'Form posts: to `redirect_url` or the thank-you page on success, or back to the ' +
          '`Referer` with `intake_error` and `intake_fields` on a validation failure.',
        headers: ['Location'],
      },
    },
    errors: [
      'invalid_params',
      'unauthorized',
      'invalid_token',
      'forbidden',
      'form_not_found',
      'conflict',
      'payload_too_large',
      'unsupported_media_type',
      'validation_error',
      'rate_limited',
    ],
  },
  {
    method: 'options',
    path: '/api/{opaque}/f/{slug}',
    operationId: 'preflightForm',
    tag: 'Public form endpoint',
    summary: 'CORS preflight',
    description:
      'Allows `GET, POST, OPTIONS` with `Content-Type`, `Authorization` and `Idempotency-Key` ' +
      'for any origin, or only the listed ones when the form sets `allowed_origins` (a ' +
      'foreign origin gets a 204 without the allow headers).',
    auth: { kind: 'public' },
    throttled: false,
    pathParameters: PUBLIC_FORM_PARAMETERS,
    responses: {
      '204': {
        description: 'Preflight answer.',
        headers: [
          'Access-Control-Allow-Origin',
          'Access-Control-Allow-Methods',
          'Access-Control-Allow-Headers',
          'Access-Control-Max-Age',
        ],
      },
    },
    errors: ['invalid_token', 'form_not_found'],
  },
  {
    method: 'get',
    path: '/api/{opaque}/f/{slug}/thanks',
    operationId: 'formThanks',
    tag: 'Public form endpoint',
    summary: 'Thank-you page after a form post',
    description: 'Where a successful form post is redirected when the form has no `redirect_url`.',
    auth: { kind: 'public' },
    throttled: false,
    pathParameters: PUBLIC_FORM_PARAMETERS,
    responses: { '200': { description: 'A minimal page.', content: { 'text/html': {} } } },
    errors: ['invalid_token', 'form_not_found'],
  },
  ...DESTINATION_ROUTES,
];
