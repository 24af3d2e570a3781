import { detectAll } from 'tinyld';

/** Below this many letters every detector guesses; "ok" or "Hi!" is no language. */
const MIN_LETTERS = 12;
/**
 * tinyld's scores are low for short texts even when right, so "sure" means a first guess
 * with some score that clearly beats the runner-up; near-ties are mixed or ambiguous text.
 */
const MIN_ACCURACY = 0.1;
const MIN_LEAD = 3;
const URLS_AND_EMAILS = /\b(?:https?:\/\/|www\.)\S+|\S+@\S+/gi;

/**
 * ISO 639-1 code of the text's language, or null when too short or unsure. Local
 * (tinyld: n-gram tables shipped in the package, no network, CommonJS build), so it
 * runs for every submission, with or without AI.
 */
export function detectLanguage(text: string): string | null {
  const prose = text.replace(URLS_AND_EMAILS, ' ');
  if ((prose.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) return null;
  const [best, second] = detectAll(prose);
  if (!best || best.accuracy < MIN_ACCURACY) return null;
  if (second && best.accuracy < second.accuracy * MIN_LEAD) return null;
  // tinyld answers ISO 639-1 where one exists, and 639-3 otherwise; the column is 639-1.
  return /^[a-z]{2}$/.test(best.lang) ? best.lang : null;
}
