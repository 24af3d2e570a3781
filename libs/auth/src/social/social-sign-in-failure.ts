/**
 * Why a Google or GitHub sign-in (or link) did not go through. The browser lands on
 * `BROWSER_PATHS.signIn` (or the dashboard, when linking from settings) with `?error=<code>`;
 * the page explains it. Codes are stable; each says no more than the person at the browser
 * may know.
 */
export const SOCIAL_SIGN_IN_FAILURES = {
  /** The provider's answer was malformed: no code or state, repeated, oversized or odd parameters. */
  invalid_request: 'The provider’s answer could not be read. Start again.',
  /** Not started in this browser, older than 10 minutes, or already used (login CSRF, replay). */
  invalid_state:
    'This sign-in was not started here, took too long or was already used. Start again.',
  /** The person declined at the provider. */
  provider_denied: 'Sign-in was cancelled at the provider.',
  /** The provider refused the code (e.g. PKCE mismatch), failed, or sent an unusable profile. */
  provider_error: 'The provider could not confirm who you are. Try again later.',
  /** The provider vouches for no verified address (GitHub: the primary address must be verified). */
  email_unverified: 'The provider has not verified your address. Verify it there first.',
  /** An Intake account uses this address but never verified it: no silent link to it. */
  account_exists_unverified:
    'An account with this address exists but has not confirmed it. Sign in another way and confirm the address, then link the provider in your settings.',
  /** An account with this address has 2FA on: it is not linked before its code is checked. */
  link_from_settings:
    'An account with this address exists. Sign in to it, then link the provider in your settings.',
  /** This provider account already signs in to another Intake account. */
  identity_in_use: 'This provider account is linked to another Intake account.',
  /** The Intake account is linked to a different account of this provider. */
  provider_already_linked:
    'Your account is already linked to another account of this provider. Unlink it first.',
  /** Linking from settings needs a recent sign-in, password or 2FA proof. */
  reauthentication_required: 'Confirm it is you, then link the provider again.',
  /** The account that started linking is no longer the one signed in here. */
  session_changed: 'You were signed out or switched accounts while linking. Start again.',
  /** Too many sign-in attempts from this network. */
  rate_limited: 'Too many sign-in attempts. Try again later.',
} as const;

export type SocialSignInFailure = keyof typeof SOCIAL_SIGN_IN_FAILURES;
