import type { AppConfig } from '@intake/config';

/**
 * The authorization server's issuer: PUBLIC_URL itself, with no path, so that RFC 8414's
 * `/.well-known/oauth-authorization-server` sits at the origin root and the `issuer` in the
 * metadata, in `iss` (RFC 9207) and in every comparison is the same byte string.
 */
export function issuerUrl(config: AppConfig): string {
  return config.publicUrl;
}

/** The one protected resource (RFC 8707 / RFC 9728): every access token is bound to it. */
export function mcpResourceUrl(config: AppConfig): string {
  return `${config.publicUrl}/mcp`;
}
