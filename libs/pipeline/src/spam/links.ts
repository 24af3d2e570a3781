import { isWithin, normaliseHost, withoutWww } from './domain-names';

/**
 * Well-known public URL shorteners. Kept in code rather than taken from a package: no
 * maintained npm list exists, and the few that matter change rarely.
 */
export const URL_SHORTENERS: readonly string[] = [
  'bit.ly',
  'bitly.com',
  'buff.ly',
  'cutt.ly',
  'goo.gl',
  'is.gd',
  'ow.ly',
  'rb.gy',
  'rebrand.ly',
  'shorturl.at',
  't.co',
  't.ly',
  'tiny.cc',
  'tinyurl.com',
  'v.gd',
];

/**
 * Absolute http(s) URLs and bare "www." links. Every part is a single character class with
 * no nested quantifier, so matching is linear whatever the text; quotes and angle brackets
 * end a URL so that `href="..."` in pasted HTML yields the bare URL.
 */
const URL_PATTERN = /(?:\bhttps?:\/\/|\bwww\.)[^\s<>"'`]+/giu;
/** Sentence punctuation that follows a URL in prose but is rarely part of it. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/u;
/** Enough to judge any message; a text with thousands of links is spam long before that. */
const MAX_URLS_PER_TEXT = 200;

/** The URLs in `text`, in order, trailing punctuation removed. */
export function extractUrls(text: string): string[] {
  const urls: string[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    urls.push(match[0].replace(TRAILING_PUNCTUATION, ''));
    if (urls.length >= MAX_URLS_PER_TEXT) break;
  }
  return urls;
}

/** The normalised host of a URL found by `extractUrls` (or an href), or `null`. */
export function urlHost(url: string): string | null {
  const absolute = /^https?:\/\//iu.test(url) ? url : `http://${url}`;
  if (!URL.canParse(absolute)) return null;
  const { hostname } = new URL(absolute);
  return normaliseHost(hostname.replace(/^\[|\]$/gu, ''));
}

/** The shortener `host` belongs to, or `null`. */
export function shortenerOf(host: string): string | null {
  const bare = withoutWww(host);
  return URL_SHORTENERS.find((shortener) => isWithin(bare, shortener)) ?? null;
}
