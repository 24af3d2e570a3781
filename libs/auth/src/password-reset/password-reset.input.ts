import { z } from 'zod';
import { linkTokenSchema } from '../account-tokens/account-token.input';
import { passwordSchema } from '../passwords/password.schema';

/** The new password follows the sign-up policy exactly. */
export const resetPasswordInput = z.strictObject({
  token: linkTokenSchema,
  password: passwordSchema,
});
export type ResetPasswordInput = z.output<typeof resetPasswordInput>;
