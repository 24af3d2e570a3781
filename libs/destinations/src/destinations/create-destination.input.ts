import { z } from 'zod';

export const DESTINATION_TYPES = ['webhook', 'slack', 'discord'] as const;
export type DestinationKind = (typeof DESTINATION_TYPES)[number];

/** API.md "Destinations": `{type, name, url}`, plus `include_spam` (default false). */
export const createDestinationInput = z.strictObject({
  type: z.enum(DESTINATION_TYPES),
  name: z.string().trim().min(1).max(100),
  // The column's size; the URL policy (destination-url-policy.ts) does the real checking.
  url: z.string().trim().min(1).max(2048),
  include_spam: z.boolean().default(false),
});

export type CreateDestinationInput = z.output<typeof createDestinationInput>;
