import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a submission's text content, for the caller to store and compare when it
 * counts `RecentActivity.sameContentCount`. Only string values count, lower-cased, NFKC
 * normalised and with whitespace collapsed, keyed by field name in sorted order: a bot that
 * varies letter case, spacing or field order still hits the same print, while a form's
 * yes/no and numeric fields alone (the same for many honest people) give the print of no
 * text at all, which the caller should not count as a duplicate (see `isEmptyFingerprint`).
 */
export function contentFingerprint(data: Readonly<Record<string, unknown>>): string {
  const entries = textEntries(data);
  const hash = createHash('sha256');
  for (const [key, value] of entries) {
    // JSON quoting keeps "a"+"bc" and "ab"+"c" apart; field names are plain identifiers.
    hash.update(`${JSON.stringify(key)}:${JSON.stringify(value)}\n`);
  }
  return hash.digest('hex');
}

export const EMPTY_FINGERPRINT = createHash('sha256').digest('hex');

/** True for the print of a submission without any text, which says nothing about duplicates. */
export function isEmptyFingerprint(fingerprint: string): boolean {
  return fingerprint === EMPTY_FINGERPRINT;
}

function textEntries(data: Readonly<Record<string, unknown>>): [string, string][] {
  if (typeof data !== 'object' || data === null) return [];
  return Object.keys(data)
    .sort()
    .flatMap((key): [string, string][] => {
      const value: unknown = data[key];
      if (typeof value !== 'string') return [];
      const normalised = value.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
      return normalised === '' ? [] : [[key, normalised]];
    });
}
