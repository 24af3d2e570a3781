import type { RouteDoc } from '../openapi.route-types';
import {
  json,
  object,
  arrayOf,
  uuidParameter,
  session,
  recentSession,
  RATE,
} from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

export const ACCOUNT_ROUTES: RouteDoc[] = [
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
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'Health',
    summary: 'Prometheus metrics of this process',
    description:
      'For Prometheus, not for API clients: `Authorization: Bearer <METRICS_TOKEN>` (the ' +
      'operator’s setting; API keys and sessions do not apply). Without `METRICS_TOKEN` ' +
      'configured the route is off (404). Counters are per process: scrape every instance. ' +
      'See docs/operations.md, "Metrics".',
    auth: { kind: 'public' },
    throttled: false,
    responses: {
      '200': {
        description: 'The Prometheus text exposition format, version 0.0.4.',
        content: { 'text/plain': { type: 'string' } },
      },
    },
    errors: ['unauthorized', 'not_found'],
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
      'failures are rate limited (429), per IP and per account. Same-origin rule as for ' +
      'sign-up. With 2FA on, send `code` (a TOTP or backup code); without it the answer is ' +
      '401 `totp_required` and a short-lived pending-sign-in cookie, so a browser can finish ' +
      'with `POST /auth/2fa`.',
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
    errors: ['unauthorized', 'totp_required', 'forbidden'],
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
    auth: recentSession,
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
    path: '/account/sessions',
    operationId: 'listSessions',
    tag: 'Account',
    summary: 'The account’s active sessions',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'Most recently active first; `current` marks this browser’s.',
        content: json(
          object({
            sessions: arrayOf(
              object({
                id: { type: 'string', format: 'uuid' },
                current: { type: 'boolean' },
                ip: { type: ['string', 'null'] },
                user_agent: { type: ['string', 'null'] },
                created_at: { type: 'string', format: 'date-time' },
                last_seen_at: { type: 'string', format: 'date-time' },
              }),
            ),
          }),
        ),
        headers: RATE,
      },
    },
  },
  {
    method: 'delete',
    path: '/account/sessions/{id}',
    operationId: 'revokeSession',
    tag: 'Account',
    summary: 'End one session',
    auth: session,
    throttled: true,
    pathParameters: { id: uuidParameter('Session') },
    responses: { '204': { description: 'Ended: its cookie no longer signs anyone in.' } },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/account/sessions/revoke-others',
    operationId: 'revokeOtherSessions',
    tag: 'Account',
    summary: 'Sign out everywhere else',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'How many sessions ended.',
        content: json(object({ revoked: { type: 'integer' } })),
        headers: RATE,
      },
    },
  },
  {
    method: 'post',
    path: '/account/password',
    operationId: 'changePassword',
    tag: 'Account',
    summary: 'Change the password',
    description:
      'Checks `current_password`, then ends every session (this one too) and starts a fresh ' +
      'one for this browser: new cookie, new CSRF token. An account without a password ' +
      '(magic link, Google, GitHub) sets its first one without `current_password`, on a ' +
      'recent sign-in (else 403 `reauthentication_required`). Outstanding magic links and ' +
      'reset links stop working.',
    auth: session,
    throttled: true,
    body: { content: json(ref('ChangePasswordInput')), required: true },
    responses: {
      '200': {
        description: 'Changed; signed in again with a new session.',
        content: json(object({ user: ref('User'), csrf_token: { type: 'string' } })),
        headers: ['Set-Cookie'],
      },
    },
    errors: ['reauthentication_required'],
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
];
