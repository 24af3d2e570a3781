/** What an e-mailed token is for; stored in `account_tokens.purpose`. */
export const ACCOUNT_TOKEN_PURPOSES = [
  'magic_link',
  'password_reset',
  'email_verification',
  'email_change',
] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

const MINUTE_MS = 60_000;

/**
 * How long each kind of link works. Sign-in links are short (a mailbox is read soon after
 * asking, and a link is a credential); verification is not a credential and may wait a day.
 */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  magic_link: 15 * MINUTE_MS,
  password_reset: 30 * MINUTE_MS,
  email_verification: 24 * 60 * MINUTE_MS,
  email_change: 60 * MINUTE_MS,
};

/**
 * Where each link lands (`<PUBLIC_URL><path>?token=...`). The controllers route these same
 * constants, so a mailed link and its route cannot drift apart.
 */
export const ACCOUNT_LINK_PATHS = {
  magic_link: '/auth/magic-link/verify',
  password_reset: '/auth/password/reset',
  email_verification: '/auth/email/verify',
  email_change: '/auth/email/confirm',
} as const satisfies Record<AccountTokenPurpose, string>;

/**
 * The links a password change or reset ends: each could otherwise still sign someone in,
 * reset the password again, or move the account to another address (a change asked for
 * from a stolen session is cancelled when the owner secures the account).
 */
export const REVOKED_ON_PASSWORD_CHANGE: readonly AccountTokenPurpose[] = [
  'magic_link',
  'password_reset',
  'email_change',
];
