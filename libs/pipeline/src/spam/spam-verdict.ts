import type { Field } from '@intake/forms';

/** A value as it is stored in a submission's `data` after validation. */
export type SubmittedValue = string | number | boolean;

/**
 * Per-form activity the caller reads from the database before calling the check; the check
 * itself stays pure so it is fast and testable without one.
 */
export interface RecentActivity {
  /**
   * How many *other* submissions to the same form in the last 24 hours have the same
   * `contentFingerprint(data)` (or, equivalently strict, the same stored `data`). Counting
   * per form keeps one form's popular canned answer ("yes") from flagging another form.
   */
  sameContentCount: number;
  /**
   * Seconds between the previous submission to the same form from the same client IP and
   * this one; `null` when there is none in the look-back window or the IP is unknown.
   */
  secondsSinceLastFromSameIp: number | null;
}

export interface StandardSpamInput {
  data: Readonly<Record<string, SubmittedValue>>;
  /** The schema fields of the form version the submission was validated against. */
  fields: readonly Field[];
  /** Honeypot fields that validation found filled (`honeypotFilled` of the rules engine). */
  honeypotFilled: readonly string[];
  recent: RecentActivity;
}

/** One piece of evidence: its name from the weight table, its score and a readable detail. */
export interface SpamSignal {
  name: string;
  score: number;
  detail: string;
}

export interface SpamVerdict {
  spam: boolean;
  /** 0..1, see `confidenceOf`. */
  confidence: number;
  /** One readable sentence per signal, strongest first; stored as `spam_reason`. */
  reasons: string[];
  signals: SpamSignal[];
}
