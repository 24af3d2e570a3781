import type { Field } from '@intake/forms';

/** Enough for any genuine message; keeps a flood of text from becoming a large bill. */
export const MAX_FIELD_CHARS = 2_000;

export interface TextFieldOptions {
  /** E-mail fields help spam checks (disposable domains) but are never translated. */
  includeEmails: boolean;
}

/**
 * The only submission values the model sees: filled string (and optionally e-mail) fields
 * of the form's schema, truncated. Numbers, booleans, dates, honeypots and fields outside
 * the schema stay home (data minimisation).
 */
export function textFields(
  data: unknown,
  fields: readonly Field[],
  options: TextFieldOptions,
): Record<string, string> {
  const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const picked: Record<string, string> = {};
  for (const field of fields) {
    if (field.type !== 'string' && !(options.includeEmails && field.type === 'email')) continue;
    if (field.rules.some((rule) => rule.op === 'honeypot')) continue;
    const value = values[field.name];
    if (typeof value === 'string' && value.trim() !== '') {
      picked[field.name] = value.slice(0, MAX_FIELD_CHARS);
    }
  }
  return picked;
}

/** URLs, e-mail addresses and numbers: copied verbatim into a translation, never translated. */
const VERBATIM =
  /\b(?:https?:\/\/|www\.)[^\s<>"']+|[^\s@<>"'()[\]]+@[^\s@<>"'()[\]]+\.[a-z]{2,}|\d+(?:[.,:/-]\d+)*/gi;
const PLACEHOLDER = /\[\[(\d+)\]\]/g;

export interface ProtectedText {
  text: string;
  verbatim: string[];
}

/** Replaces each verbatim run with `[[n]]`, so the model cannot alter what it never sees. */
export function protectVerbatim(text: string): ProtectedText {
  const verbatim: string[] = [];
  const masked = text.replace(VERBATIM, (match) => `[[${verbatim.push(match) - 1}]]`);
  return { text: masked, verbatim };
}

/**
 * Puts the originals back. Null when the model dropped, repeated or invented a
 * placeholder: the caller then keeps the original text rather than a wrong translation.
 */
export function restoreVerbatim(translated: string, verbatim: readonly string[]): string | null {
  const seen = [...translated.matchAll(PLACEHOLDER)].map((match) => Number(match[1]));
  const expected = verbatim.map((_, index) => index);
  if (seen.length !== expected.length || expected.some((index) => !seen.includes(index))) {
    return null;
  }
  return translated.replace(PLACEHOLDER, (_, index: string) => verbatim[Number(index)] ?? '');
}
