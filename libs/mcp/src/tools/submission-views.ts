import type { SubmissionOutput } from '@intake/submissions';
import { abridged, untrusted } from '../untrusted-content';

/** In listings, each submitted value is cut to this; `get_submission` shows it whole. */
const LISTED_VALUE_CHARS = 300;

/**
 * A submission in a listing: its state, and what the visitor sent (abridged) marked as
 * untrusted. Metadata (IP, user agent) and replies stay for `get_submission`.
 */
export function submissionSummary(submission: SubmissionOutput) {
  return {
    id: submission.id,
    created_at: submission.created_at,
    spam: submission.spam,
    processing_status: submission.processing_status,
    reply_status: submission.reply_status,
    detected_language: submission.detected_language,
    ...untrusted({ data: abridged(submission.data, LISTED_VALUE_CHARS) }),
  };
}

/**
 * One submission in full. Everything a visitor wrote or a model derived from it (the
 * translation, the spam reason, the drafted reply) and the request metadata a visitor
 * controls (user agent, referer) sit under the untrusted key.
 */
export function submissionDetail(submission: SubmissionOutput) {
  return {
    id: submission.id,
    form_version: submission.form_version,
    created_at: submission.created_at,
    updated_at: submission.updated_at,
    processing_status: submission.processing_status,
    processing_reason: submission.processing_reason,
    spam: submission.spam,
    spam_confidence: submission.spam_confidence,
    detected_language: submission.detected_language,
    reply_status: submission.reply_status,
    replied_at: submission.replied_at,
    ...untrusted({
      data: submission.data,
      translated_data: submission.translated_data,
      spam_reason: submission.spam_reason,
      reply_subject: submission.reply_subject,
      reply_content: submission.reply_content,
      metadata: submission.metadata,
    }),
  };
}
