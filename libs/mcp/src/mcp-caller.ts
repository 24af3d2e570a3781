import type { AuditClient } from '@intake/audit';
import type { OAuthScope } from '@intake/oauth';

/** Who a request to /mcp acts for, as its OAuth access token says. */
export interface McpCaller {
  ownerId: string;
  /** The OAuth client (the AI application) the owner approved. */
  clientId: string;
  /** What the owner granted that client; each tool needs some of these. */
  scopes: readonly OAuthScope[];
  /** Where the request came from, for the audit entries of the actions it takes. */
  client: AuditClient;
}
