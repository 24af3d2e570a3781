import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import { hostAndParents, normaliseHost } from './domain-names';

/**
 * The community list of disposable e-mail domains (github.com/disposable-email-domains,
 * the list PyPI and many sign-up forms use), as packaged by `disposable-email-domains-js`,
 * which republishes it automatically when it changes: `npm update disposable-email-domains-js`
 * brings new domains. That list only takes domains shown to be throwaway, which matters here
 * because a false hit costs a real person's message. Loaded once: the package's own
 * `isDisposableEmailDomain` rebuilds its Set on every call.
 */
let blocklist: ReadonlySet<string> | undefined;

function disposableDomains(): ReadonlySet<string> {
  blocklist ??= disposableEmailBlocklistSet();
  return blocklist;
}

/** The domain of an address ("x@Sub.Mailinator.com" -> "sub.mailinator.com"), or `null`. */
export function emailDomain(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return normaliseHost(address.slice(at + 1));
}

/**
 * The listed domain `domain` falls under, or `null`. Parents are matched too: throwaway
 * services hand out any subdomain (sub.mailinator.com) and the list holds only the base.
 */
export function disposableDomainOf(domain: string): string | null {
  const listed = disposableDomains();
  return hostAndParents(domain).find((candidate) => listed.has(candidate)) ?? null;
}
