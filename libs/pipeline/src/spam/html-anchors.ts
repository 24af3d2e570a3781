import { isWithin, normaliseHost, withoutWww } from './domain-names';
import { urlHost } from './links';

export interface Anchor {
  href: string;
  /** Visible text: inner tags removed, a few entities decoded, whitespace collapsed. */
  text: string;
}

export interface MismatchedAnchor {
  shownHost: string;
  targetHost: string;
}

/*
 * A scanner rather than an HTML parser: the only question asked is "href and visible text of
 * each <a>", and htmlparser2 (the field's usual choice) ships as ES modules only since v11,
 * which this CommonJS build and its Jest runtime cannot load. Each loop turn moves past the
 * anchor it read, and each pattern either has no nested quantifier or only ever sees a
 * bounded slice (MAX_TAG_LENGTH, MAX_ANCHOR_TEXT), so the scan stays linear on hostile
 * input. Nothing is ever rendered or executed.
 */
const ANCHOR_OPEN = /<a[\s>]/giu;
const ANCHOR_CLOSE = /<\/a\s*>/giu;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/iu;
const TAG = /<[^<>]*>/gu;
/** Anchor text longer than this is prose, not a URL, and is not compared. */
const MAX_ANCHOR_TEXT = 500;
/** Longer opening tags are not searched for href: it bounds the work on a broken tag. */
const MAX_TAG_LENGTH = 2_000;
const MAX_ANCHORS = 100;
/** Optional scheme or "www.", a dotted host with a letter TLD, then an optional path. */
const DOMAIN_LIKE =
  /^(https?:\/\/|www\.)?((?:[\p{L}\p{N}-]+\.)+(\p{L}{2,}|xn--[a-z0-9-]+))([/:?#]\S*)?$/iu;
/**
 * Link text such as "Node.js" or "Vue.router" reads like a domain too. Without a scheme,
 * "www." or a path, text counts as a domain only when it ends in one of these common TLDs.
 */
const BARE_DOMAIN_TLDS: ReadonlySet<string> = new Set(
  'com net org info biz io co me app dev xyz online site shop top ru cn uk de fr nl us ca au in'.split(
    ' ',
  ),
);

export function extractAnchors(html: string): Anchor[] {
  const anchors: Anchor[] = [];
  let position = 0;
  while (anchors.length < MAX_ANCHORS) {
    ANCHOR_OPEN.lastIndex = position;
    const open = ANCHOR_OPEN.exec(html);
    if (!open) break;
    const tagEnd = html.indexOf('>', open.index);
    // No later ">" or "</a>" means no later complete anchor either: stop instead of rescanning.
    if (tagEnd < 0) break;
    ANCHOR_CLOSE.lastIndex = tagEnd + 1;
    const close = ANCHOR_CLOSE.exec(html);
    if (!close) break;
    const tag = tagEnd - open.index <= MAX_TAG_LENGTH ? html.slice(open.index + 2, tagEnd) : '';
    const href = HREF.exec(tag);
    const inner = html.slice(tagEnd + 1, close.index);
    if (href && inner.length <= MAX_ANCHOR_TEXT) {
      anchors.push({
        href: decodeEntities(href[1] ?? href[2] ?? href[3] ?? ''),
        text: visible(inner),
      });
    }
    position = close.index + close[0].length;
  }
  return anchors;
}

/**
 * The anchor's shown and real hosts when its visible text reads as a URL or domain of a
 * different site than its href. A subdomain of the same site counts as the same site, so
 * "example.com" linking to "shop.example.com" is fine; "paypal.com" linking to
 * "paypal.com.evil.example" is not.
 */
export function mismatchOf(anchor: Anchor): MismatchedAnchor | null {
  const shown = DOMAIN_LIKE.exec(anchor.text);
  if (!shown?.[2] || !shown[3]) return null;
  const bare = shown[1] === undefined && shown[4] === undefined;
  if (bare && !BARE_DOMAIN_TLDS.has(shown[3].toLowerCase())) return null;
  const shownHost = normaliseHost(shown[2]);
  const targetHost = /^https?:\/\//iu.test(anchor.href.trim()) ? urlHost(anchor.href.trim()) : null;
  if (!shownHost || !targetHost) return null;
  const a = withoutWww(shownHost);
  const b = withoutWww(targetHost);
  return isWithin(a, b) || isWithin(b, a) ? null : { shownHost, targetHost };
}

function visible(inner: string): string {
  return decodeEntities(inner.replace(TAG, ' ')).replace(/\s+/gu, ' ').trim();
}

/** A Map, not an object literal: "&constructor;" must not find Object's own members. */
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
  ['period', '.'],
  ['sol', '/'],
  ['colon', ':'],
]);

/** Enough decoding that "paypal&#46;com" reads as the domain it shows in a browser. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/giu, (entity, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x')
        ? parseInt(lower.slice(2), 16)
        : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES.get(lower) ?? entity;
  });
}
