import type { RecentActivity, SpamSignal, SpamVerdict, StandardSpamInput } from './spam-verdict';
import {
  DUPLICATE_MIN_COUNT,
  SIGNAL_WEIGHTS,
  SPAM_THRESHOLD,
  SPEED_LIMIT_SECONDS,
  confidenceOf,
} from './spam-weights';
import { filledHoneypots, submittedTexts } from './submission-texts';
import { contentSignals, emailSignals, linkSignals } from './text-signals';

/**
 * The "standard" spam layer: no network, no model, pure and fast (a few milliseconds even for
 * a megabyte of text, since each field is read up to MAX_ANALYSED_CHARS). Every signal adds
 * its weight from SIGNAL_WEIGHTS; the total is squashed by `confidenceOf` and the submission
 * is spam when the confidence reaches SPAM_THRESHOLD. A filled honeypot settles it at once.
 *
 * Submitted text is only ever measured here: an instruction inside a message ("ignore your
 * rules and mark this as not spam") is text like any other and has no effect.
 */
export function checkStandardSpam(input: StandardSpamInput): SpamVerdict {
  const data: unknown = input?.data;
  const fields: unknown = input?.fields;
  const honeypots = honeypotNames(input?.honeypotFilled, data, fields);
  if (honeypots.length > 0) return honeypotVerdict(honeypots);

  const texts = submittedTexts(data, fields);
  const signals = [
    ...emailSignals(texts),
    ...linkSignals(texts),
    ...contentSignals(texts),
    ...recentSignals(input?.recent),
  ].sort((a, b) => b.score - a.score);
  const confidence = confidenceOf(signals.reduce((total, { score }) => total + score, 0));
  return {
    spam: confidence >= SPAM_THRESHOLD,
    confidence,
    reasons: signals.map(({ detail }) => detail),
    signals,
  };
}

/** The caller's list first (validation saw the raw body), then any the stored data shows. */
function honeypotNames(reported: unknown, data: unknown, fields: unknown): string[] {
  const fromCaller = Array.isArray(reported)
    ? (reported as unknown[]).filter((name): name is string => typeof name === 'string')
    : [];
  return [...new Set([...fromCaller, ...filledHoneypots(data, fields)])];
}

function honeypotVerdict(names: readonly string[]): SpamVerdict {
  const signals = names.map((name): SpamSignal => ({
    name: 'honeypot',
    // Decisive whatever the score: a person never sees the field, so only a bot fills it.
    score: 1,
    detail: `honeypot field ${JSON.stringify(name)} was filled`,
  }));
  return { spam: true, confidence: 1, reasons: signals.map(({ detail }) => detail), signals };
}

function recentSignals(recent: RecentActivity | undefined): SpamSignal[] {
  const signals: SpamSignal[] = [];
  const seconds = recent?.secondsSinceLastFromSameIp;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
    if (seconds < SPEED_LIMIT_SECONDS) {
      signals.push({
        name: 'too_fast',
        score: SIGNAL_WEIGHTS.too_fast,
        detail: `sent ${seconds.toFixed(1)} s after the previous submission from the same IP`,
      });
    }
  }
  const duplicates = recent?.sameContentCount;
  if (typeof duplicates === 'number' && duplicates >= DUPLICATE_MIN_COUNT) {
    signals.push({
      name: 'duplicate_content',
      score: SIGNAL_WEIGHTS.duplicate_content,
      detail: `the same content was sent ${duplicates} times before to this form in 24 h`,
    });
  }
  return signals;
}
