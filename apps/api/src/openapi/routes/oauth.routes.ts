import { z } from 'zod';
import { OAUTH_SCOPES } from '@intake/oauth';
import {
  consentInput,
  denyInput,
  interactionCodeInput,
  interactionSignInInput,
} from '../../oauth/oauth-interaction.input';
import type { RouteDoc } from '../openapi.route-types';
import { arrayOf, json, object, session, uuidParameter } from '../openapi.route-helpers';
import type { JsonSchema } from '../openapi.schemas';

const page = { 'text/html': {} };

/** A form post's schema, from the zod schema the route validates with. */
function formBody(schema: z.ZodType) {
  const { $schema: _dialect, ...converted } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    content: { 'application/x-www-form-urlencoded': converted as JsonSchema },
    required: true,
  };
}

const UID = {
  uid: {
    description:
      'The interaction the authorization server started (its id also sits in a cookie bound to ' +
      'this browser; a page opened in another browser, or after 10 minutes, is 404).',
    schema: { type: 'string' },
  },
};

const PROVIDER_ENDPOINTS =
  'The protocol endpoints themselves are served by oidc-provider, mounted in front of the ' +
  'app (not listed here): `/.well-known/oauth-authorization-server` and ' +
  '`/.well-known/openid-configuration` (RFC 8414 metadata, issuer = `PUBLIC_URL`), ' +
  '`/oauth/authorize` (code + PKCE S256 only), `/oauth/token` (authorization_code and ' +
  'refresh_token; refresh tokens rotate), `/oauth/register` (RFC 7591), `/oauth/revoke` ' +
  '(RFC 7009) and `/oauth/jwks`; each is limited per IP (`ANONYMOUS_RATE_LIMIT_PER_MINUTE`). ' +
  'See docs/adr/0016-oauth-authorization-server.md.';

const PAGE_ERRORS =
  'Errors are pages with the status of the API error; a refused password or code shows the ' +
  'form again (401, or 429 with `Retry-After`). Limited per IP on top of the usual budget.';

const oauthClient = object({
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string', description: 'The name the client gave itself.' },
  client_uri: { type: ['string', 'null'], description: 'The website the client states.' },
  redirect_host: {
    type: 'string',
    description: 'Host of the redirect URI the approval was sent to.',
  },
  scopes: { type: 'array', items: { enum: [...OAUTH_SCOPES] } },
  created_at: { type: 'string', format: 'date-time' },
  last_used_at: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'Last request with one of its tokens (to the minute); null if never used.',
  },
});

/** The owner's side of the OAuth authorization server for MCP clients. */
export const OAUTH_ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/oauth/interaction/{uid}',
    operationId: 'openOAuthInteraction',
    tag: 'Session',
    summary: 'Sign-in or consent page of an OAuth authorization',
    description:
      'Where `/oauth/authorize` sends the browser. Without a dashboard session: a sign-in form. ' +
      'With one: 303 onwards once the authorization server knows who signed in, then the ' +
      'consent page (what the client asks for in plain words, one checkbox per scope, the ' +
      'redirect host, a warning for localhost-only clients). ' +
      PROVIDER_ENDPOINTS,
    auth: { kind: 'public' },
    throttled: true,
    pathParameters: UID,
    responses: {
      '200': { description: 'The sign-in or consent page.', content: page },
      '303': { description: 'On to the authorization server.', headers: ['Location'] },
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/oauth/interaction/{uid}/login',
    operationId: 'signInForOAuth',
    tag: 'Session',
    summary: 'Sign in during an OAuth authorization',
    description:
      'The sign-in form (`_csrf` bound to the interaction): a password sign-in as `POST ' +
      '/auth/login`, with the same failure limits; with 2FA on and no code, the code form. ' +
      'Then 303 back to the interaction page with the session cookie. Refuses a foreign Origin. ' +
      PAGE_ERRORS,
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    pathParameters: UID,
    body: formBody(interactionSignInInput),
    responses: {
      '303': { description: 'Signed in.', headers: ['Location', 'Set-Cookie'] },
      '401': { description: 'Refused, or a 2FA code is needed: a page.', content: page },
    },
    errors: ['forbidden', 'not_found', 'rate_limited', 'validation_error'],
  },
  {
    method: 'post',
    path: '/oauth/interaction/{uid}/2fa',
    operationId: 'secondFactorForOAuth',
    tag: 'Session',
    summary: 'Finish a 2FA sign-in during an OAuth authorization',
    description:
      'The code form after a password sign-in answered `totp_required` (its pending cookie). ' +
      PAGE_ERRORS,
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    pathParameters: UID,
    body: formBody(interactionCodeInput),
    responses: {
      '303': { description: 'Signed in.', headers: ['Location', 'Set-Cookie'] },
      '401': { description: 'Refused: the form again.', content: page },
    },
    errors: ['forbidden', 'not_found', 'rate_limited', 'validation_error'],
  },
  {
    method: 'post',
    path: '/oauth/interaction/{uid}/consent',
    operationId: 'approveOAuthClient',
    tag: 'Session',
    summary: 'Approve an OAuth client',
    description:
      'The consent form (`_csrf` is the session’s CSRF token). Ticked scopes are granted, the ' +
      'others refused; at least one is needed (else 422). The client appears in `GET ' +
      '/account/oauth-clients`; 303 to the authorization server, which sends the browser to ' +
      'the client with a code (and `iss`, `state`).',
    auth: session,
    throttled: true,
    pathParameters: UID,
    body: formBody(consentInput),
    responses: { '303': { description: 'Approved.', headers: ['Location'] } },
    errors: ['not_found', 'validation_error', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/oauth/interaction/{uid}/deny',
    operationId: 'denyOAuthClient',
    tag: 'Session',
    summary: 'Deny an OAuth client',
    description:
      '303 to the authorization server, which sends the browser to the client with ' +
      '`error=access_denied` (and `iss`, `state`).',
    auth: session,
    throttled: true,
    pathParameters: UID,
    body: formBody(denyInput),
    responses: { '303': { description: 'Denied.', headers: ['Location'] } },
    errors: ['not_found', 'rate_limited'],
  },
  {
    method: 'get',
    path: '/account/oauth-clients',
    operationId: 'listOAuthClients',
    tag: 'Account',
    summary: 'Connected OAuth (MCP) clients',
    description: 'Clients the owner approved, oldest first.',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'The connected clients.',
        content: json(object({ oauth_clients: arrayOf(oauthClient) })),
      },
    },
  },
  {
    method: 'delete',
    path: '/account/oauth-clients/{id}',
    operationId: 'revokeOAuthClient',
    tag: 'Account',
    summary: 'Disconnect an OAuth client',
    description:
      'Deletes every grant, code and token the client holds for this owner: its next request ' +
      'is refused. Another owner’s id is 404.',
    auth: session,
    throttled: true,
    pathParameters: { id: uuidParameter('Connected client') },
    responses: {
      '200': {
        description: 'The disconnected client.',
        content: json(object({ oauth_client: oauthClient })),
      },
    },
    errors: ['not_found'],
  },
];
