import type { Destination } from '@intake/database';

/** API.md's Destination. The webhook secret is never part of it (see DestinationWithSecret). */
export interface DestinationOutput {
  id: string;
  type: Destination['type'];
  name: string;
  url: string;
  enabled: boolean;
  include_spam: boolean;
  last_delivered_at: string | null;
  failure_count: number;
  last_error: string | null;
  disabled_at: string | null;
  created_at: string;
}

/** Only the create and regenerate-secret answers carry the plaintext `whsec_` secret. */
export type DestinationWithSecretOutput = DestinationOutput & { secret?: string };

export function toDestinationOutput(destination: Destination): DestinationOutput {
  return {
    id: destination.id,
    type: destination.type,
    name: destination.name,
    url: destination.url,
    enabled: destination.enabled,
    include_spam: destination.includeSpam,
    last_delivered_at: destination.lastDeliveredAt?.toISOString() ?? null,
    failure_count: destination.failureCount,
    last_error: destination.lastError,
    disabled_at: destination.disabledAt?.toISOString() ?? null,
    created_at: destination.createdAt.toISOString(),
  };
}
