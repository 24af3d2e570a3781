import type { RouteDoc } from '../openapi.route-types';
import { apiKey, json, page, RATE, recentSession, session } from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

const FILTERS =
  '`action` is one action (`user.login.failed`) or a prefix ending in a dot (`user.`, ' +
  '`user.login.`); anything else, SQL and markup included, is 400 `invalid_params`. `from` ' +
  '(inclusive) and `to` (exclusive) are ISO-8601 timestamps with a time zone.';

const NDJSON_EXPORT = {
  '200': {
    description: 'The export, streamed.',
    content: {
      'application/x-ndjson': {
        type: 'string',
        description: 'One JSON AuditEvent per line, oldest first.',
        contentSchema: ref('AuditEvent'),
      },
    },
    headers: RATE,
  },
};

const EXPORT_DESCRIPTION =
  `For a SIEM: every matching event, no pagination, sent as an attachment ` +
  '(`Content-Disposition`, `Cache-Control: no-store`) and read in keyset batches however ' +
  `long the trail. The export itself is recorded as \`audit_log.exported\`. ${FILTERS} A ` +
  'failure after the first byte cuts the connection (the file is then incomplete).';

/** The audit trail (session and bearer twins), and the account's export and deletion. */
export const AUDIT_AND_ACCOUNT_ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/account/audit-log',
    operationId: 'auditLogForSession',
    tag: 'Account',
    summary: 'The account’s audit trail (dashboard)',
    description: `Newest first. ${FILTERS} Bearer twin: \`GET /api/audit-log\`.`,
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
    path: '/account/audit-log/export',
    operationId: 'exportAuditLogForSession',
    tag: 'Account',
    summary: 'Export the audit trail as NDJSON (dashboard)',
    description: `${EXPORT_DESCRIPTION} Bearer twin: \`GET /api/audit-log/export\`.`,
    auth: session,
    throttled: true,
    query: 'auditLogExport',
    responses: NDJSON_EXPORT,
  },
  {
    method: 'get',
    path: '/api/audit-log',
    operationId: 'auditLog',
    tag: 'Account',
    summary: 'The account’s audit trail',
    description: `Newest first. ${FILTERS} Session twin: \`GET /account/audit-log\`.`,
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
    path: '/api/audit-log/export',
    operationId: 'exportAuditLog',
    tag: 'Account',
    summary: 'Export the audit trail as NDJSON',
    description: `${EXPORT_DESCRIPTION} Session twin: \`GET /account/audit-log/export\`.`,
    auth: apiKey('audit:read'),
    throttled: true,
    query: 'auditLogExport',
    responses: NDJSON_EXPORT,
  },
  {
    method: 'get',
    path: '/account/export',
    operationId: 'exportAccount',
    tag: 'Account',
    summary: 'Download everything the account holds (JSON archive)',
    description:
      'One JSON document, sent as an attachment and written as it is read: `profile`, ' +
      '`sessions`, `api_keys`, `identities`, `knowledge_bases`, `forms` (each with its ' +
      'settings, every version with its endpoint, its `destinations` with their `deliveries` ' +
      'log, and every submission, spam included) and `audit_events`. No secret is in it: no ' +
      'password hash, TOTP seed, backup codes, key or token hashes, webhook secrets. ' +
      'Recorded as `user.exported`. A failure after the first byte cuts the connection.',
    auth: recentSession,
    throttled: true,
    responses: {
      '200': {
        description: 'The archive, streamed.',
        content: {
          'application/json': {
            type: 'object',
            description:
              '`intake_account_export` (layout version, 1) and `exported_at` first, then the parts above.',
          },
        },
        headers: RATE,
      },
    },
  },
  {
    method: 'delete',
    path: '/account',
    operationId: 'deleteAccount',
    tag: 'Account',
    summary: 'Delete the account and everything it owns',
    description:
      'Confirm with `password`; an account without one (magic link, Google, GitHub) sends ' +
      '`confirm` with its e-mail address instead. A wrong password is 422 and counts as a ' +
      'failed sign-in (429 when repeated). In one transaction every form, version, ' +
      'submission, job, idempotency key, knowledge base, destination, delivery, session, API ' +
      'key, e-mailed token and linked identity goes, and so do the account’s audit entries: ' +
      'one `user.deleted` entry stays, with no actor, IP or user agent, holding only a ' +
      'pseudonym (HMAC of the account id under a server key). Every session ends, the cookie ' +
      'is cleared and the API keys stop working at once. Cannot be undone.',
    auth: recentSession,
    throttled: true,
    body: { content: json(ref('DeleteAccountInput')), required: true },
    responses: {
      '204': { description: 'Deleted; the session cookie is cleared.', headers: ['Set-Cookie'] },
    },
  },
];
