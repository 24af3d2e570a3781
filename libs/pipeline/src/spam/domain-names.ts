import { domainToASCII } from 'node:url';

/**
 * Lower-case ASCII (punycode) form of a host name, or `null` when it is not one. Lists and
 * URL parsers use the ASCII form, so "MAILINATOR.com." and an IDN written in Unicode both
 * compare equal to what the lists hold.
 */
export function normaliseHost(host: string): string | null {
  const trimmed = host.trim().replace(/\.$/u, '');
  if (trimmed === '' || trimmed.length > 253) return null;
  const ascii = domainToASCII(trimmed);
  return ascii === '' ? null : ascii.toLowerCase();
}

/** "a.b.example.com" -> ["a.b.example.com", "b.example.com", "example.com"]: never a bare TLD. */
export function hostAndParents(host: string): string[] {
  const labels = host.split('.');
  const candidates: string[] = [];
  for (let start = 0; start < labels.length - 1; start += 1) {
    candidates.push(labels.slice(start).join('.'));
  }
  return candidates;
}

/** True when `host` is `domain` or one of its subdomains. */
export function isWithin(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Drops a leading "www.", which names the same site for the comparisons made here. */
export function withoutWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}
