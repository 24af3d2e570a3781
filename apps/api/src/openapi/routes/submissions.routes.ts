import type { RouteDoc } from '../openapi.route-types';
import {
  json,
  object,
  page,
  uuidParameter,
  SUBMISSION_IDS,
  PUBLIC_FORM_PARAMETERS,
  apiKey,
  RATE,
  SUBMISSION_BODY_DESCRIPTION,
  formPost,
  publicCorsHeaders,
} from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

export const SUBMISSION_ROUTES: RouteDoc[] = [
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
  {
    method: 'post',
    path: '/api/forms/{form_id}/submissions/{id}/reply',
    operationId: 'sendSubmissionReply',
    tag: 'Submissions',
    summary: 'Send the reply to a submission (reviewed draft or your own words)',
    description:
      '**beyond**: for `reply_status` `awaiting_review` (a smart-reply draft), ' +
      '`needs_human_reply` or `delivery_failed`, mails `subject` and `content` as plain text ' +
      'to the address in the form’s `smart_reply_email_field`, at once. 409 `conflict` for ' +
      'any other status, spam, or no valid address; 503 `unavailable` when the mail server ' +
      'refuses (the status is then `delivery_failed`, and you may send again).',
    auth: apiKey('submissions:write'),
    throttled: true,
    pathParameters: SUBMISSION_IDS,
    body: { content: json(ref('SendReplyInput')), required: true },
    responses: {
      '200': {
        description: 'The submission, `reply_status: delivered`.',
        content: json(object({ submission: ref('Submission') })),
        headers: RATE,
      },
    },
    errors: ['not_found', 'conflict', 'unavailable'],
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
];
