import type { OAuthConnection } from '@intake/database';

export interface OAuthConnectionOutput {
  id: string;
  name: string;
  client_uri: string | null;
  redirect_host: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

export function toOAuthConnectionOutput(connection: OAuthConnection): OAuthConnectionOutput {
  return {
    id: connection.id,
    name: connection.clientName,
    client_uri: connection.clientUri,
    redirect_host: connection.redirectHost,
    scopes: connection.scopes,
    created_at: connection.createdAt.toISOString(),
    last_used_at: connection.lastUsedAt?.toISOString() ?? null,
  };
}
