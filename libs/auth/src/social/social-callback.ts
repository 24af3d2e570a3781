import { z } from 'zod';
import type { SocialProvider, ProviderProfile } from './social-provider';
import type { SocialSignInFailure } from './social-sign-in-failure';

/** What the callback guard established, for SocialSignInService to act on. */
export type ProviderCallback =
  | { ok: true; provider: SocialProvider; profile: ProviderProfile; linkTo: string | null }
  | { ok: false; provider: SocialProvider; reason: SocialSignInFailure };

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the social sign-in callback guard (see SocialCallbackGuard). */
    socialSignIn?: ProviderCallback;
  }
}

/**
 * Parameter names as providers send them (`code`, `state`, `iss`, `authuser`...). Anything
 * else, bracketed paths and prototype keys above all, is not an answer from a provider.
 */
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** RFC 6749 `code`, `state` and `error` are printable ASCII (VSCHAR / NQSCHAR). */
const value = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[\x20-\x7E]+$/);

/**
 * The provider's redirect back. Providers add parameters of their own (Google `scope`,
 * `authuser`, `prompt`; RFC 9207 `iss`), so unknown names are allowed, but at most 16 of
 * them, each a plain name with one printable string of bounded length (a repeated name is an
 * array: refused). The names are checked before zod sees them: its records skip `__proto__`.
 */
export const callbackQuery = z
  .custom<object>(
    (query) =>
      typeof query === 'object' &&
      query !== null &&
      Object.keys(query).length <= 16 &&
      Object.keys(query).every((key) => PARAMETER_NAME.test(key) && !PROTOTYPE_KEYS.has(key)),
  )
  .pipe(z.record(z.string(), value))
  .transform((query) => ({ code: query.code, state: query.state, error: query.error }));
