import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkAddress, type AddressPolicy } from './address-policy';
import { DeliveryError } from './delivery-error';

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Hostname -> every address it resolves to. Injectable so tests need no real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * The operating system's resolver (getaddrinfo: /etc/hosts, then DNS), as a connection
 * without our pinning would use it. `all: true` so that every address is vetted.
 */
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true });

/** RFC 1035: 253 characters for a name written without its trailing dot. */
const MAX_HOSTNAME_LENGTH = 253;

/**
 * Parses a destination URL and applies the URL policy: https only (http too when the
 * operator allows private destinations, for local development), no userinfo (it would be
 * sent as Basic credentials and stored and shown as part of the URL), a sane hostname.
 * The WHATWG parser canonicalises numeric hosts (`2130706433`, `0177.0.0.1`, `0x7f.1`,
 * `127.1`) to dotted decimal, so the address policy sees what a connection would reach.
 */
export function parseDestinationUrl(raw: string, policy: AddressPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new DeliveryError('invalid_url', { cause: error }, 'Destination URL is malformed');
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    throw new DeliveryError('invalid_url', {}, 'Destination URL must use https');
  }
  if (url.username !== '' || url.password !== '') {
    throw new DeliveryError('invalid_url', {}, 'Destination URL must not contain credentials');
  }
  const hostname = url.hostname.replace(/\.$/, '');
  if (hostname === '' || hostname.length > MAX_HOSTNAME_LENGTH) {
    throw new DeliveryError('invalid_url', {}, 'Destination URL has no valid hostname');
  }
  return url;
}

/** `url.hostname` without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  const { hostname } = url;
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/**
 * Resolves a hostname and vets every address. A literal address is vetted without a
 * lookup. Refuses if ANY address is refused, rather than keeping the allowed ones: a name
 * that resolves to a mix of public and internal addresses is either misconfigured or an
 * attack (DNS rebinding with several records), and refusing keeps the rule simple to
 * explain. The caller must connect to the returned addresses only (see safeFetch), never
 * resolve again: a second lookup could answer differently (DNS rebinding).
 */
export async function resolveVettedAddresses(
  hostname: string,
  options: AddressPolicy & { resolver?: Resolver } = {},
): Promise<ResolvedAddress[]> {
  const literalFamily = isIP(hostname);
  const addresses =
    literalFamily !== 0
      ? [{ address: hostname, family: literalFamily }]
      : await resolve(hostname, options.resolver ?? systemResolver);
  for (const { address } of addresses) {
    const { allowed, range } = checkAddress(address, options);
    if (!allowed) {
      throw new DeliveryError(
        'blocked_address',
        { range },
        `Destination resolves to a ${range} address`,
      );
    }
  }
  // The family is recomputed rather than trusted: it decides how the socket connects.
  return addresses.map(({ address }) => ({ address, family: isIP(address) }));
}

async function resolve(hostname: string, resolver: Resolver): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(hostname);
  } catch (error) {
    throw new DeliveryError('dns_failed', { cause: error });
  }
  if (addresses.length === 0) throw new DeliveryError('dns_failed');
  return addresses;
}
