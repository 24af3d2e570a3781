import { z } from 'zod';

/** The reply as the owner sends it: their edit of the draft, or their own words. */
export const sendReplyInput = z.strictObject({
  // One line: mail headers refuse line breaks, and the draft's subject was collapsed too.
  subject: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\r\n]*$/, 'must be one line'),
  content: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(20_000, 'must be at most 20000 characters'),
});
export type SendReplyInput = z.output<typeof sendReplyInput>;
