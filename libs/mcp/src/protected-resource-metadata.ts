import type { AppConfig } from '@intake/config';
import { issuerUrl, mcpResourceUrl, OAUTH_SCOPES } from '@intake/oauth';

/** Where clients find the metadata below (RFC 9728 §3.1: well-known prefix + resource path). */
export function resourceMetadataUrl(config: AppConfig): string {
  return `${config.publicUrl}/.well-known/oauth-protected-resource/mcp`;
}

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) of /mcp: which authorization server
 * issues its tokens and what they can carry. MCP clients start from here after a 401.
 */
export function protectedResourceMetadata(config: AppConfig) {
  return {
    resource: mcpResourceUrl(config),
    authorization_servers: [issuerUrl(config)],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Intake',
    resource_documentation: `${config.publicUrl}/api/docs`,
  };
}
