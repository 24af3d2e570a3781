/** How the first factor was proven; recorded on the session's audit entry. */
export const SIGN_IN_METHODS = ['password', 'magic_link', 'google', 'github'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/**
 * Where browser flows (magic links, Google, GitHub) land. The dashboard serves these pages;
 * the paths live here so the redirects and the pages cannot drift apart.
 */
export const BROWSER_PATHS = {
  dashboard: '/',
  signIn: '/sign-in',
  twoFactor: '/sign-in/2fa',
} as const;
