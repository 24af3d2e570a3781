import { ACCOUNT_LINK_PATHS } from '@intake/auth';
import type { RouteDoc } from '../openapi.route-types';
import { json, object, recentSession, session } from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

const message = json(object({ message: { type: 'string' } }));
const page = { 'text/html': {} };
const TOKEN_QUERY =
  'The link carries `?token=` (43 base64url characters, 256 bits; single use; Intake keeps ' +
  'only its SHA-256). A link that is unknown, tampered with, expired or already used is ' +
  '401 `invalid_token`, answered as a page; a missing `token` is 400 `invalid_params`.';
const POST_BACK =
  'The form post of the link’s page (`application/x-www-form-urlencoded`, `token`): ' +
  'opening a link changes nothing (mail scanners fetch links), this click does. Errors ' +
  'are pages with the status of the API error (401 `invalid_token` for an unusable link).';
const postBackBody = {
  content: { 'application/x-www-form-urlencoded': ref('LinkTokenInput') },
  required: true,
};
const ALWAYS_202 =
  'Answers the same 202, at once, for every address, whether or not it has an account ' +
  '(the lookup and the mail happen afterwards). At most 5 requests per hour per address ' +
  '(counted for every address) and per IP, then 429 with `Retry-After`.';

/** Magic links, password reset, e-mail verification and e-mail change. */
export const ACCOUNT_TOKEN_ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/auth/magic-link',
    operationId: 'requestMagicLink',
    tag: 'Session',
    summary: 'E-mail a sign-in link',
    description:
      `${ALWAYS_202} The link works once, for 15 minutes. A known address gets a sign-in ` +
      'link; an unknown one a sign-up link when `MAGIC_LINK_SIGNUP` is on (the default), ' +
      'else nothing. Sets a nonce cookie (`intake_magic_link`, `__Host-` over HTTPS) that ' +
      'marks this browser: the link signs in silently only here.',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: { content: json(ref('EmailAddressInput')), required: true },
    responses: { '202': { description: 'Accepted.', content: message, headers: ['Set-Cookie'] } },
    errors: ['forbidden'],
  },
  {
    method: 'get',
    path: ACCOUNT_LINK_PATHS.magic_link,
    operationId: 'openMagicLink',
    tag: 'Session',
    summary: 'Open a sign-in link (from the e-mail)',
    description:
      `${TOKEN_QUERY} In the browser that asked for it, the link is used and signs in: 303 ` +
      'to the dashboard, or to the 2FA step when the account has 2FA on. Anywhere else ' +
      '(another device, a mail scanner) it is not used: a confirmation page posts it back.',
    auth: { kind: 'public' },
    query: 'accountLink',
    throttled: true,
    responses: {
      '200': { description: 'The confirmation page (nothing used yet).', content: page },
      '303': {
        description: 'Signed in (session cookie), or a 2FA code owed (pending cookie).',
        headers: ['Location', 'Set-Cookie'],
      },
    },
    errors: ['invalid_params', 'invalid_token', 'forbidden'],
  },
  {
    method: 'post',
    path: ACCOUNT_LINK_PATHS.magic_link,
    operationId: 'confirmMagicLink',
    tag: 'Session',
    summary: 'Sign in with a link opened in another browser',
    description: `${POST_BACK} Uses the link and signs in like the same-browser \`GET\`.`,
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: postBackBody,
    responses: {
      '303': {
        description: 'Signed in, or a 2FA code owed.',
        headers: ['Location', 'Set-Cookie'],
      },
    },
    errors: ['invalid_token', 'forbidden'],
  },
  {
    method: 'post',
    path: '/auth/password/forgot',
    operationId: 'forgotPassword',
    tag: 'Session',
    summary: 'E-mail a password reset link',
    description: `${ALWAYS_202} An unknown address gets no mail. The link works once, for 30 minutes.`,
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: { content: json(ref('EmailAddressInput')), required: true },
    responses: { '202': { description: 'Accepted.', content: message } },
    errors: ['forbidden'],
  },
  {
    method: 'get',
    path: ACCOUNT_LINK_PATHS.password_reset,
    operationId: 'passwordResetPage',
    tag: 'Session',
    summary: 'Open a password reset link (from the e-mail)',
    description: `${TOKEN_QUERY} A form for the new password; the link is used only by its post.`,
    auth: { kind: 'public' },
    query: 'accountLink',
    throttled: true,
    responses: { '200': { description: 'The form.', content: page } },
    errors: ['invalid_params', 'invalid_token'],
  },
  {
    method: 'post',
    path: ACCOUNT_LINK_PATHS.password_reset,
    operationId: 'resetPassword',
    tag: 'Session',
    summary: 'Set a new password with a reset link',
    description:
      'The new password follows the sign-up policy. Ends every session of the account and ' +
      'every other outstanding sign-in, reset and e-mail change link; marks the address ' +
      'verified. Does not sign in: the link proves the mailbox only, and a session from it ' +
      'would skip 2FA. An unusable link is 401 `invalid_token`. JSON gets JSON; the reset ' +
      'page’s form post gets pages.',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: {
      content: {
        'application/json': ref('ResetPasswordInput'),
        'application/x-www-form-urlencoded': ref('ResetPasswordInput'),
      },
      required: true,
    },
    responses: { '200': { description: 'Password changed.', content: { ...message, ...page } } },
    errors: [
      'invalid_params',
      'invalid_token',
      'forbidden',
      'payload_too_large',
      'unsupported_media_type',
      'validation_error',
    ],
  },
  {
    method: 'get',
    path: ACCOUNT_LINK_PATHS.email_verification,
    operationId: 'emailVerificationPage',
    tag: 'Account',
    summary: 'Open an address verification link (from the e-mail)',
    description: `${TOKEN_QUERY} A page that asks to confirm the address; nothing is used yet.`,
    auth: { kind: 'public' },
    query: 'accountLink',
    throttled: true,
    responses: { '200': { description: 'The confirmation page.', content: page } },
    errors: ['invalid_params', 'invalid_token'],
  },
  {
    method: 'post',
    path: ACCOUNT_LINK_PATHS.email_verification,
    operationId: 'verifyEmail',
    tag: 'Account',
    summary: 'Confirm the account’s address',
    description: `${POST_BACK} Marks the address verified.`,
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: postBackBody,
    responses: { '200': { description: 'Confirmed.', content: page } },
    errors: ['invalid_token', 'forbidden'],
  },
  {
    method: 'get',
    path: ACCOUNT_LINK_PATHS.email_change,
    operationId: 'emailChangePage',
    tag: 'Account',
    summary: 'Open a new-address confirmation link (from the e-mail)',
    description: `${TOKEN_QUERY} A page that names the new address and asks to confirm.`,
    auth: { kind: 'public' },
    query: 'accountLink',
    throttled: true,
    responses: { '200': { description: 'The confirmation page.', content: page } },
    errors: ['invalid_params', 'invalid_token'],
  },
  {
    method: 'post',
    path: ACCOUNT_LINK_PATHS.email_change,
    operationId: 'confirmEmailChange',
    tag: 'Account',
    summary: 'Move the account to the confirmed address',
    description:
      `${POST_BACK} The account moves to the new address (verified); every link mailed to ` +
      'the old address stops working and every session ends. A browser signed in to the ' +
      'account gets a new session. 409 when another account took the address meanwhile.',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: postBackBody,
    responses: {
      '200': { description: 'Changed.', content: page, headers: ['Set-Cookie'] },
    },
    errors: ['invalid_token', 'forbidden', 'conflict'],
  },
  {
    method: 'post',
    path: '/account/email',
    operationId: 'changeEmail',
    tag: 'Account',
    summary: 'Move the account to another address',
    description:
      'Mails the new address a confirmation link (1 hour) and the current one a notice. ' +
      'The answer is the same whether or not the new address has an account (then it gets ' +
      'a note instead, and nothing changes). A new request cancels the earlier link. At most ' +
      '5 per hour. 422 when it is already the account’s address.',
    auth: recentSession,
    throttled: true,
    body: { content: json(ref('EmailAddressInput')), required: true },
    responses: { '202': { description: 'Mailed.', content: message } },
  },
  {
    method: 'post',
    path: '/account/email/verification',
    operationId: 'resendEmailVerification',
    tag: 'Account',
    summary: 'E-mail a new verification link',
    description:
      'For an unverified address (409 once verified). The link works once, for 24 hours. ' +
      'At most 5 per hour.',
    auth: session,
    throttled: true,
    responses: { '202': { description: 'Mailed.', content: message } },
    errors: ['conflict'],
  },
];
