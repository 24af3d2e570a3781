import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { API_SCOPES } from '../scopes';

/** An IPv4/IPv6 address or CIDR range. */
const ipOrCidr = z
  .string()
  .max(64)
  .refine(
    (value) => (value.includes('/') ? isCidr(value) : ipaddr.isValid(value)),
    'must be an IP address or CIDR range',
  );

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  /** Omitted: every scope (the key acts as its owner). Listing fewer is encouraged. */
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, 'must list at least one scope')
    .max(API_SCOPES.length)
    .transform((scopes) => [...new Set(scopes)])
    .optional(),
  allowed_ips: z.array(ipOrCidr).max(50).optional(),
  expires_at: z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 timestamp' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .optional(),
});

export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;
