import { z } from 'zod';
import { PASSWORD_MAX } from '@intake/auth';

/**
 * `DELETE /account`: the confirmation. An account with a password sends it; an account
 * without one (magic link, Google, GitHub) types out its e-mail address as `confirm`.
 */
export const deleteAccountInput = z
  .strictObject({
    password: z
      .string()
      .min(1, 'is required')
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
      .optional(),
    confirm: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(254, 'must be at most 254 characters')
      .optional(),
  })
  .refine((input) => (input.password === undefined) !== (input.confirm === undefined), {
    path: ['password'],
    error: 'send your password, or (accounts without one) confirm with your e-mail address',
  });
export type DeleteAccountInput = z.output<typeof deleteAccountInput>;
