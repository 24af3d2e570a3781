import { z } from 'zod';
import { loginInput } from '@intake/auth';

const csrfToken = z.string().min(1, 'is required').max(128, 'is too long');

/** An empty optional field of a plain HTML form arrives as "": it means absent. */
const optional = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const interactionSignInInput = z.strictObject({
  _csrf: csrfToken,
  email: loginInput.shape.email,
  password: loginInput.shape.password,
  code: optional(z.string().trim().min(1).max(32, 'is too long')),
});
export type InteractionSignInInput = z.output<typeof interactionSignInInput>;

export const interactionCodeInput = z.strictObject({
  _csrf: csrfToken,
  code: z.string().trim().min(1, 'is required').max(32, 'is too long'),
});
export type InteractionCodeInput = z.output<typeof interactionCodeInput>;

/** Ticked checkboxes: one `scope` field each (none, one, or an array). */
export const consentInput = z.strictObject({
  _csrf: csrfToken,
  scope: optional(z.union([z.string().max(64), z.array(z.string().max(64)).max(10)])).transform(
    (scope) => [scope ?? []].flat(),
  ),
});
export type ConsentInput = z.output<typeof consentInput>;

export const denyInput = z.strictObject({ _csrf: csrfToken });
export type DenyInput = z.output<typeof denyInput>;
