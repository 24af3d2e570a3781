import { z } from 'zod';

/** Hard cap on any text value, in code points, whatever its rules say. */
export const MAX_TEXT_LENGTH = 10_000;
/** RFC 5321's limit on a forward path, the practical maximum length of an address. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * NUL breaks PostgreSQL `jsonb` and C consumers; a lone surrogate is not Unicode text and
 * turns into U+FFFD (or an error) somewhere downstream. Linear: no nested quantifiers.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const NUL = '\u0000';

/** zod's `z.email()` pattern: one definition of a sane address across Intake. */
const EMAIL = z.regexes.email;

export function hasInvalidCharacters(text: string): boolean {
  return text.includes(NUL) || LONE_SURROGATE.test(text);
}

/**
 * Lengths are counted in Unicode code points, not UTF-16 units, so that an emoji or a CJK
 * character outside the BMP counts as one character, as people count them. Grapheme
 * clusters (a family emoji, a flag) would be friendlier still but cost `Intl.Segmenter` on
 * the hot path and differ between ICU versions.
 */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** At most `max` code points, never cutting a surrogate pair in two. */
export function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (let count = 0; count < max && end < text.length; count++) {
    end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}

/** Makes a submitted key safe to store and show: no NUL, no lone surrogate. */
export function sanitizeKey(key: string): string {
  return key.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * A normalised address, or `undefined` when it is not one. The domain is case-insensitive
 * (RFC 5321 §2.4) and lower-cased; the local part may be case-sensitive and is kept.
 */
export function normalizeEmail(text: string): string | undefined {
  if (text.length > MAX_EMAIL_LENGTH || !EMAIL.test(text)) return undefined;
  const at = text.lastIndexOf('@');
  return text.slice(0, at + 1) + text.slice(at + 1).toLowerCase();
}
