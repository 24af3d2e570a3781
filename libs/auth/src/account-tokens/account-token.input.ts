import { z } from 'zod';
import { emailSchema } from '../passwords/password.schema';

/**
 * The token of a link, as typed: any string up to a bound. Its shape is checked with its
 * meaning (AccountTokens), so a malformed token gets the same answer as a used one.
 */
export const linkTokenSchema = z.string().min(1, 'is required').max(256, 'is too long');

/** `?token=...` of a mailed link; other query parameters (mail trackers add some) are ignored. */
export const linkQuery = z.object({ token: linkTokenSchema });
export type LinkQuery = z.output<typeof linkQuery>;

/** A confirmation form's post back to the link's route. */
export const linkTokenInput = z.strictObject({ token: linkTokenSchema });
export type LinkTokenInput = z.output<typeof linkTokenInput>;

/** `{email}`: ask for a sign-in link or a reset, or name a new address. */
export const emailAddressInput = z.strictObject({ email: emailSchema });
export type EmailAddressInput = z.output<typeof emailAddressInput>;
