/**
 * Rules over one text. Each takes the NFKC form of the text (see `normaliseForRules`), so
 * fullwidth "ＦＲＥＥ ＭＯＮＥＹ" and mathematical "𝐁𝐔𝐘 𝐍𝐎𝐖" are read as the letters a
 * person sees, and each is linear in the text's length.
 */

/** Fewer cased letters than this say too little about shouting ("OK", "USA", "JOHN SMITH"). */
export const MIN_CASED_LETTERS = 20;
export const CAPS_RATIO = 0.7;
/** Runs this long of one character: "aaaaaaaaaa", "!!!!!!!!!!", ten identical emoji. */
export const MIN_REPEAT_RUN = 10;

/**
 * Curated, case-insensitive, matched as whole words. Short on purpose: every entry must be
 * rare in genuine contact, support and sign-up messages; the weight, not the list, grows.
 */
export const SPAM_PHRASES: readonly string[] = [
  'buy now',
  'click here',
  'free money',
  'make money fast',
  'viagra',
  'cialis',
  'casino',
  'crypto investment',
  'seo services',
  'guaranteed ranking',
  'first page of google',
  'loan approval',
  'limited time offer',
  'work from home',
  'earn extra cash',
  'double your income',
];

const PHRASE_PATTERNS: readonly { phrase: string; pattern: RegExp }[] = SPAM_PHRASES.map(
  (phrase) => ({
    phrase,
    // \b is ASCII-only in JS: letter and number lookarounds are a word boundary in any script,
    // so "Casinopolis" is no match while "CASINO!" is; "buy-now" and "buy  now" match too.
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}])${phrase.replace(/ /gu, '[\\s\\-_]+')}(?![\\p{L}\\p{N}])`,
      'iu',
    ),
  }),
);

/** Script-capable markup and URLs: dangerous wherever text is later shown as HTML. */
const SCRIPT_MARKERS =
  /<\s*script\b|<\s*iframe\b|\b(?:javascript|vbscript)\s*:|data:text\/html|\bon(?:error|load|click|mouse\w{2,5}|focus|blur|submit|change|input|key(?:down|up|press)|animationstart|pointer\w{2,5}|toggle|begin)\s*=/iu;
/** An opening or closing tag: "<b>", "</div>", "<img src=x>"; not "I <3 you" or "a < b". */
const HTML_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/iu;
/** Characters whose long runs are layout, not noise: spaces, digits, ruler lines. */
const RUN_EXEMPT = /[\s\p{N}\-=_*~.#]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

export function normaliseForRules(text: string): string {
  return text.normalize('NFKC');
}

/** Share of upper-case among cased letters, or `null` when too few letters have case. */
export function capsRatio(text: string): number | null {
  let upper = 0;
  let lower = 0;
  for (const char of text) {
    if (UPPER.test(char)) upper += 1;
    else if (LOWER.test(char)) lower += 1;
  }
  const cased = upper + lower;
  return cased < MIN_CASED_LETTERS ? null : upper / cased;
}

/** The longest run of one non-exempt character (by code point), when it is long enough. */
export function repeatedRun(text: string): { char: string; length: number } | null {
  let best: { char: string; length: number } | null = null;
  let previous = '';
  let length = 0;
  for (const char of text) {
    length = char === previous ? length + 1 : 1;
    previous = char;
    if (length >= MIN_REPEAT_RUN && (!best || length > best.length) && !RUN_EXEMPT.test(char)) {
      best = { char, length };
    }
  }
  return best;
}

export function spamPhrasesIn(text: string): string[] {
  return PHRASE_PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ phrase }) => phrase);
}

export function hasScriptMarkup(text: string): boolean {
  return SCRIPT_MARKERS.test(text);
}

export function hasHtmlTag(text: string): boolean {
  return HTML_TAG.test(text);
}
