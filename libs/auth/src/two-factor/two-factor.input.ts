import { z } from 'zod';
import { PASSWORD_MAX } from '../passwords/password.schema';

/** A 6-digit TOTP code or a backup code (`xxxxx-xxxxx`); checked in the service. */
export const codeSchema = z.string().trim().min(1, 'is required').max(32, 'is too long');

export const codeInput = z.strictObject({ code: codeSchema });
export type CodeInput = z.output<typeof codeInput>;

/** `password` is required when the account has one (checked in the service). */
export const disableTwoFactorInput = z.strictObject({
  password: z
    .string()
    .min(1, 'is required')
    .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
    .optional(),
  code: codeSchema,
});
export type DisableTwoFactorInput = z.output<typeof disableTwoFactorInput>;
