import { z } from 'zod';
import { emailSchema, passwordSchema, PASSWORD_MAX } from '../passwords/password.schema';

export const signupInput = z.strictObject({ email: emailSchema, password: passwordSchema });
export type SignupInput = z.output<typeof signupInput>;

/** Login checks shape only: policy is for new passwords, and must not hint at old ones. */
export const loginInput = z.strictObject({
  email: emailSchema,
  password: z
    .string()
    .min(1, 'is required')
    .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
  /** With 2FA on: a 6-digit TOTP code or a backup code. */
  code: z.string().trim().min(1, 'is required').max(32, 'is too long').optional(),
});
export type LoginInput = z.output<typeof loginInput>;

export const changePasswordInput = z
  .strictObject({
    /** Required when the account has a password; see AccountsService.changePassword. */
    current_password: z
      .string()
      .min(1, 'is required')
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
      .optional(),
    new_password: passwordSchema,
  })
  .refine((input) => input.new_password !== input.current_password, {
    path: ['new_password'],
    message: 'must differ from the current password',
  });
export type ChangePasswordInput = z.output<typeof changePasswordInput>;
