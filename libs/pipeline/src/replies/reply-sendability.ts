import type { SubmissionOutput } from '@intake/submissions';

/** Reply states from which the owner may send: a draft, a question the model left to them, or a failed send. */
export const SENDABLE_REPLY_STATUSES = [
  'awaiting_review',
  'needs_human_reply',
  'delivery_failed',
] as const;

/**
 * How long a claimed reply may stay `awaiting_delivery` before it counts as abandoned (the
 * process that claimed it stopped before recording the outcome): far past what one send
 * can take, whose connect, greeting and socket timeouts are 10 s each. It may then be sent
 * again, so an interrupted send is at least once, never lost.
 */
export const ABANDONED_REPLY_CLAIM_MS = 10 * 60 * 1000;

export function abandonedClaimCutoff(now: Date): Date {
  return new Date(now.getTime() - ABANDONED_REPLY_CLAIM_MS);
}

/**
 * Whether the owner may send this submission's reply now: the rule ReplyReviewRepository's
 * claim applies, for pages that offer the button. (The claim also leaves an abandoned auto
 * reply to the pipeline while its job still exists.)
 */
export function canSendReply(
  submission: Pick<SubmissionOutput, 'reply_status' | 'spam' | 'updated_at'>,
  now: Date = new Date(),
): boolean {
  if (submission.spam || submission.reply_status === null) return false;
  if (submission.reply_status === 'awaiting_delivery')
    return new Date(submission.updated_at) < abandonedClaimCutoff(now);
  return (SENDABLE_REPLY_STATUSES as readonly string[]).includes(submission.reply_status);
}
