import { safeFetch } from '@intake/destinations';

/** Largest document the provider may fetch (its own default for client metadata). */
export const OUTBOUND_BODY_LIMIT_BYTES = 5120;

/**
 * The provider's `fetch` (Client ID Metadata Documents, and any other document a client's
 * metadata names) through the webhooks' SSRF-safe client: the name is resolved once, every
 * address vetted (private, loopback, link-local and metadata ranges refused unless
 * ALLOW_PRIVATE_DESTINATIONS), the socket pinned to it, no redirects, 10 s at most. The
 * provider's own guard (an undici dispatcher in `init`) is dropped: this one replaces it.
 *
 * safeFetch answers status and body, not headers, so the provider caches every document
 * for its `cacheDuration.min`; one byte past the limit is read so that an oversized
 * document is refused rather than cut short.
 */
export function outboundFetch(allowPrivate: boolean) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      if (name !== 'user-agent') headers[name] = value;
    });
    const result = await safeFetch(url, {
      method: 'GET',
      headers,
      allowPrivate,
      maxSnippetBytes: OUTBOUND_BODY_LIMIT_BYTES + 1,
    });
    return new Response(result.snippet, {
      status: result.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}
