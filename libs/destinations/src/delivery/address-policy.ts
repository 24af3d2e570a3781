import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

type IPAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface AddressPolicy {
  /**
   * ALLOW_PRIVATE_DESTINATIONS: development and tests may reach loopback and private
   * networks. Even then, unspecified, broadcast, multicast and cloud metadata addresses
   * stay refused: no real destination lives there.
   */
  allowPrivate?: boolean;
}

export interface AddressCheck {
  allowed: boolean;
  /**
   * The ipaddr.js range name of the address that would really be reached (for IPv6 forms
   * that embed an IPv4 address, the embedded one's): `unicast` for a public address,
   * else `loopback`, `private`, `linkLocal`, `uniqueLocal`, `teredo`, ..., or `invalid`.
   */
  range: string;
}

/** Never reachable, whatever the operator allows. */
const NEVER_ALLOWED = new Set(['unspecified', 'broadcast', 'multicast', 'invalid']);

/** IPv6 global unicast (RFC 4291, IANA): everything outside it is reserved or local. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
/** IPv4-compatible addresses (RFC 4291 2.5.5.1, deprecated): `::a.b.c.d`. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
/** NAT64 well-known prefix (RFC 6052); the local-use 64:ff9b:1::/48 stays refused. */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
/** AWS's IPv6 instance metadata endpoint (IPv4's 169.254.169.254 is caught as linkLocal). */
const AWS_METADATA_V6 = ipaddr.IPv6.parse('fd00:ec2::254').toNormalizedString();

/**
 * May a delivery connect to this address? Allow-list: only addresses ipaddr.js calls
 * `unicast` (and, for IPv6, inside 2000::/3) pass, so a range we did not think of is
 * refused rather than reached. Expects a canonical address as the resolver or the WHATWG
 * URL parser produce it; anything else (`0x7f.1`, `127.1`) is `invalid`.
 */
export function checkAddress(address: string, policy: AddressPolicy = {}): AddressCheck {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(bare) === 0) return { allowed: false, range: 'invalid' };
  const parsed = ipaddr.parse(bare);
  const reached = parsed instanceof ipaddr.IPv6 ? (embeddedIPv4(parsed) ?? parsed) : parsed;
  const range = rangeOf(reached);
  if (range === 'unicast') return { allowed: true, range };
  const allowed = policy.allowPrivate === true && !NEVER_ALLOWED.has(range) && !isMetadata(reached);
  return { allowed, range };
}

function rangeOf(ip: IPAddress): string {
  const range = ip.range();
  if (ip instanceof ipaddr.IPv6 && range === 'unicast' && !ip.match(GLOBAL_UNICAST_V6)) {
    return 'reserved';
  }
  return range;
}

function isMetadata(ip: IPAddress): boolean {
  if (ip instanceof ipaddr.IPv4) return ip.range() === 'linkLocal';
  return ip.toNormalizedString() === AWS_METADATA_V6;
}

/**
 * The IPv4 address an IPv6 form really reaches: mapped (::ffff:a.b.c.d), SIIT
 * (::ffff:0:a.b.c.d, RFC 6145), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and
 * 6to4 (2002:AABB:CCDD::, RFC 3056). Teredo (2001::/32) is not unpacked: it is refused
 * outright, as its range is not `unicast`.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const { parts } = ip;
  const fromWords = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = ip.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || ip.match(NAT64_WELL_KNOWN)) {
    return fromWords(parts[6], parts[7]);
  }
  // `::` and `::1` are in ::/96 too but keep their own names (unspecified, loopback).
  if (range === 'unicast' && ip.match(IPV4_COMPATIBLE)) return fromWords(parts[6], parts[7]);
  if (range === '6to4') return fromWords(parts[1], parts[2]);
  return undefined;
}
