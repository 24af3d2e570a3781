import {
  PROVIDER_NAMES,
  SOCIAL_PROVIDERS,
  SOCIAL_SIGN_IN_FAILURES,
  type SocialProvider,
} from '@intake/auth';
import type { RouteDoc } from '../openapi.route-types';
import { arrayOf, json, object, recentSession, session } from '../openapi.route-helpers';

const FAILURES = Object.entries(SOCIAL_SIGN_IN_FAILURES)
  .map(([code, meaning]) => `\`${code}\` (${meaning})`)
  .join('; ');

const identity = object({
  provider: { enum: [...SOCIAL_PROVIDERS] },
  email: {
    type: 'string',
    format: 'email',
    description: 'The verified address the provider vouched for when the identity was linked.',
  },
  created_at: { type: 'string', format: 'date-time' },
  last_used_at: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'The last sign-in with it; null if never used to sign in.',
  },
});

const OFF = '404 `not_found` when the operator has not configured this provider.';

function providerRoutes(provider: SocialProvider): RouteDoc[] {
  const name = PROVIDER_NAMES[provider];
  const key = name.replace(/\W/g, '');
  return [
    {
      method: 'get',
      path: `/auth/${provider}`,
      operationId: `start${key}SignIn`,
      tag: 'Session',
      summary: `Sign in with ${name} (or link ${name})`,
      description:
        `A browser navigation: 302 to ${name} with \`state\` and a PKCE S256 challenge; the ` +
        'state and verifier stay in a sealed, HttpOnly, SameSite=Lax cookie ' +
        `(\`intake_oauth_${provider}\`, \`__Host-\` over HTTPS) for 10 minutes. From a signed-in ` +
        `browser this links ${name} to the current account instead of signing in (the callback ` +
        `needs a recent sign-in, password or 2FA proof). ${OFF}`,
      auth: { kind: 'public' },
      throttled: true,
      responses: {
        '302': { description: `To ${name}.`, headers: ['Location', 'Set-Cookie'] },
      },
      errors: ['not_found'],
    },
    {
      method: 'get',
      path: `/auth/${provider}/callback`,
      operationId: `finish${key}SignIn`,
      tag: 'Session',
      summary: `Where ${name} sends the browser back`,
      description:
        `Takes \`code\` and \`state\` (or \`error\`) from ${name}. The state must match this ` +
        'browser’s cookie and is good once; the code is exchanged with the PKCE verifier; ' +
        `only an address ${name} verified is accepted` +
        (provider === 'github'
          ? ' (the primary one, from `/user/emails`)'
          : ' (`email_verified`)') +
        '. A linked identity signs in to its account; an unknown address creates an account ' +
        '(verified, no password); an account whose address Intake has verified is linked ' +
        'and signed in; one whose address is unverified is refused, nothing linked. Always a ' +
        '303: signed in to `/` (session cookie), a 2FA code owed to `/sign-in/2fa` (pending ' +
        'cookie), linked to `/?linked=' +
        provider +
        '`, refused to `/sign-in?error=<code>` (or `/?error=<code>` for a signed-in browser). ' +
        `Codes: ${FAILURES} Each callback takes a point of the per-IP sign-in failure budget ` +
        `(\`LOGIN_MAX_FAILURES_PER_IP\`), given back when it succeeds. ${OFF}`,
      auth: { kind: 'public' },
      throttled: true,
      responses: {
        '303': { description: 'Where the browser lands.', headers: ['Location', 'Set-Cookie'] },
      },
      errors: ['not_found'],
    },
  ];
}

/** Google and GitHub sign-in, and the identities they leave on the account. */
export const SOCIAL_ROUTES: RouteDoc[] = [
  ...providerRoutes('google'),
  ...providerRoutes('github'),
  {
    method: 'get',
    path: '/account/identities',
    operationId: 'listIdentities',
    tag: 'Account',
    summary: 'Linked Google and GitHub accounts',
    description: 'Oldest first. Link one with `GET /auth/{provider}` from a signed-in browser.',
    auth: session,
    throttled: true,
    responses: {
      '200': {
        description: 'The linked identities.',
        content: json(object({ identities: arrayOf(identity) })),
      },
    },
  },
  {
    method: 'delete',
    path: '/account/identities/{provider}',
    operationId: 'unlinkIdentity',
    tag: 'Account',
    summary: 'Unlink a Google or GitHub account',
    description:
      'It no longer signs in to this account. 409 `conflict` when it is the last way to sign ' +
      'in (no password and no other identity): set a password or link another provider first.',
    auth: recentSession,
    throttled: true,
    pathParameters: {
      provider: {
        description: '`google` or `github`; another value, or one not linked, is 404.',
        schema: { enum: [...SOCIAL_PROVIDERS] },
      },
    },
    responses: {
      '200': { description: 'The unlinked identity.', content: json(object({ identity })) },
    },
    errors: ['not_found', 'conflict'],
  },
];
