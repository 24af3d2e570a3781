import type { ApiKey } from '@intake/database';

export interface ApiKeyOutput {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string[];
  allowed_ips: string[];
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

/** Explicit mapping: the secret hash never leaves the repository layer. */
export function toApiKeyOutput(key: ApiKey): ApiKeyOutput {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    last4: key.last4,
    scopes: key.scopes,
    allowed_ips: key.allowedIps,
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
  };
}
