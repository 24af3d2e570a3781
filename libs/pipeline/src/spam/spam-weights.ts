/**
 * Every signal of the standard check and its weight, in one place so that tuning is one diff.
 *
 * Scores add up and are squashed by `confidenceOf`: `1 - exp(-total)`. With the threshold
 * at 0.7 a submission is spam once its total reaches ln(1 / 0.3) ≈ 1.2. The weights are set
 * so that one weak, innocent-looking signal alone stays well below that (a privacy-minded
 * person with a throwaway address, an excited customer who types in capitals), and only a
 * deceptive trick (a link whose text names another site) crosses it on its own.
 */
export const SIGNAL_WEIGHTS = {
  /** Some real people use throwaway inboxes for privacy; alone it must not flag them. */
  disposable_email: 0.8,
  /** Contact messages rarely carry more than two links; link lists are the SEO spam staple. */
  many_links: 0.6,
  /** Shorteners hide the destination; genuine senders seldom need them in a form. */
  url_shortener: 0.7,
  /** Link text naming one site while the link goes to another is deception by design. */
  mismatched_anchor: 1.3,
  /** Shouting is common in spam but also in angry or hurried genuine messages. */
  all_caps: 0.4,
  /** "!!!!!!!!!!" or "aaaaaaaaaa": filler that bots and pranks produce. */
  repeated_characters: 0.4,
  /** Per distinct phrase (see PHRASE_SCORE_CAP): each is a cheap, well-known spam marker. */
  spam_phrase: 0.6,
  /** Script or event handlers in a plain text field: an attack probe, not a message. */
  script_in_text: 1.0,
  /** Tags in plain text: pasted HTML spam, but also a developer quoting markup. */
  html_in_text: 0.4,
  /** Under SPEED_LIMIT_SECONDS since the same IP's last post: faster than a person types. */
  too_fast: 0.8,
  /** The same content posted DUPLICATE_MIN_COUNT or more times before in 24 h: a campaign. */
  duplicate_content: 0.9,
} as const;

export type SignalName = keyof typeof SIGNAL_WEIGHTS;

/** Spam when confidence is at least this; 0.7 means a total score of about 1.2. */
export const SPAM_THRESHOLD = 0.7;
/** Distinct spam phrases counted at most: a long list adds nothing a third one did not. */
export const PHRASE_SCORE_CAP = 3;
/** More links than this in all text fields together is `many_links`. */
export const MAX_LINKS = 2;
export const SPEED_LIMIT_SECONDS = 3;
export const DUPLICATE_MIN_COUNT = 2;

/** Certainty (1) is kept for a filled honeypot; scored evidence tops out just below it. */
export const MAX_SCORED_CONFIDENCE = 0.999;

/**
 * Maps a total score (>= 0) to 0..1. Exponential squashing keeps evidence additive while
 * never reaching certainty, which only a filled honeypot gives; rounded to three places so
 * stored values stay readable.
 */
export function confidenceOf(total: number): number {
  if (!Number.isFinite(total) || total <= 0) return 0;
  return Math.min(MAX_SCORED_CONFIDENCE, Math.round((1 - Math.exp(-total)) * 1000) / 1000);
}
