import type { RouteDoc } from '../openapi.route-types';
import { arrayOf, json, object, recentSession, session } from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

const csrfToken = { type: 'string', description: 'The CSRF token of the rotated session.' };
const backupCodes = arrayOf({ type: 'string', pattern: '^[a-z2-9]{5}-[a-z2-9]{5}$' });

/** Second factor at sign-in, re-authentication, and TOTP management. */
export const TWO_FACTOR_ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/auth/2fa',
    operationId: 'completeSignInWithCode',
    tag: 'Session',
    summary: 'Finish a sign-in that asked for a 2FA code',
    description:
      'After any first factor (password, magic link, Google, GitHub) of an account with 2FA ' +
      'on, the browser holds a pending-sign-in cookie for 10 minutes; this exchanges it and a ' +
      'TOTP code (or a backup code) for a session. A code is accepted once; failures count ' +
      'per account and per IP (429).',
    auth: { kind: 'public', sameOrigin: true },
    throttled: true,
    body: { content: json(ref('CodeInput')), required: true },
    responses: {
      '200': {
        description: 'Signed in; the session cookie is set.',
        content: json(object({ user: ref('User'), csrf_token: { type: 'string' } })),
        headers: ['Set-Cookie'],
      },
    },
    errors: ['unauthorized', 'forbidden'],
  },
  {
    method: 'post',
    path: '/auth/reauthenticate',
    operationId: 'reauthenticate',
    tag: 'Session',
    summary: 'Confirm it is you before a sensitive action',
    description:
      'Send `password` or `code` (TOTP or backup code). Opens a window of ' +
      '`REAUTH_WINDOW_MINUTES` (10 by default) in which sensitive routes (e-mail, password, ' +
      '2FA, API key creation, account deletion) are allowed. A fresh sign-in opens it too.',
    auth: session,
    throttled: true,
    body: { content: json(ref('ReauthenticateInput')), required: true },
    responses: {
      '200': {
        description: 'Re-authenticated.',
        content: json(object({ authenticated_at: { type: 'string', format: 'date-time' } })),
      },
    },
  },
  {
    method: 'post',
    path: '/account/2fa/setup',
    operationId: 'setupTwoFactor',
    tag: 'Account',
    summary: 'Start TOTP enrolment',
    description:
      'A new secret, its `otpauth://` URI and a QR code (PNG data URL, drawn locally). ' +
      'Nothing changes for sign-in until `POST /account/2fa/confirm`. 409 when 2FA is on.',
    auth: recentSession,
    throttled: true,
    responses: {
      '200': {
        description: 'Scan the QR code (or type the secret) into an authenticator app.',
        content: json(
          object({
            secret: { type: 'string', description: 'Base32 TOTP seed.' },
            otpauth_uri: { type: 'string' },
            qr_code: { type: 'string', pattern: '^data:image/png;base64,' },
          }),
        ),
      },
    },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/account/2fa/confirm',
    operationId: 'confirmTwoFactor',
    tag: 'Account',
    summary: 'Turn TOTP on with a first code',
    description:
      'Answers the 10 backup codes, shown this once (stored encrypted, each usable once), and ' +
      'rotates the session (new cookie, new CSRF token).',
    auth: recentSession,
    throttled: true,
    body: { content: json(ref('CodeInput')), required: true },
    responses: {
      '200': {
        description: '2FA is on.',
        content: json(object({ backup_codes: backupCodes, csrf_token: csrfToken })),
        headers: ['Set-Cookie'],
      },
    },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/account/2fa/disable',
    operationId: 'disableTwoFactor',
    tag: 'Account',
    summary: 'Turn TOTP off',
    description:
      'Needs `password` (for accounts that have one) and a current code; rotates the session.',
    auth: recentSession,
    throttled: true,
    body: { content: json(ref('DisableTwoFactorInput')), required: true },
    responses: {
      '200': {
        description: '2FA is off; seed and backup codes are erased.',
        content: json(object({ csrf_token: csrfToken })),
        headers: ['Set-Cookie'],
      },
    },
    errors: ['conflict'],
  },
  {
    method: 'post',
    path: '/account/2fa/backup-codes',
    operationId: 'regenerateBackupCodes',
    tag: 'Account',
    summary: 'Replace the backup codes',
    description: 'Needs a current code. Every earlier backup code stops working.',
    auth: recentSession,
    throttled: true,
    body: { content: json(ref('CodeInput')), required: true },
    responses: {
      '200': {
        description: 'The new codes, shown this once.',
        content: json(object({ backup_codes: backupCodes })),
      },
    },
    errors: ['conflict'],
  },
];
