/**
 * Where a client may have the owner's answer sent: https, or plain http on a loopback
 * address (RFC 8252 7.3, for apps on the owner's computer). No custom schemes, no
 * fragments (RFC 6749 3.1.2), no credentials in the URI.
 */
export function isAllowedRedirectUri(uri: string): boolean {
  const url = URL.parse(uri);
  if (!url || url.hash !== '' || url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}
