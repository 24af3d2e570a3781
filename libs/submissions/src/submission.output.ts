import type { Prisma, ReplyStatus, Submission } from '@intake/database';

export interface SubmissionOutput {
  id: string;
  form_version: number;
  data: Prisma.JsonValue;
  processing_status: Submission['processingStatus'];
  processing_reason: string | null;
  spam: boolean;
  spam_confidence: number | null;
  spam_reason: string | null;
  detected_language: string | null;
  translated_data: Prisma.JsonValue | null;
  reply_status: Submission['replyStatus'];
  reply_subject: string | null;
  reply_content: string | null;
  replied_at: string | null;
  metadata: Prisma.JsonValue;
  created_at: string;
  updated_at: string;
}

export function toSubmissionOutput(submission: Submission): SubmissionOutput {
  return {
    id: submission.id,
    form_version: submission.formVersion,
    data: submission.data,
    processing_status: submission.processingStatus,
    processing_reason: submission.processingReason,
    spam: submission.spam,
    spam_confidence: submission.spamConfidence,
    spam_reason: submission.spamReason,
    detected_language: submission.detectedLanguage,
    translated_data: submission.translatedData,
    reply_status: submission.replyStatus,
    reply_subject: submission.replySubject,
    reply_content: submission.replyContent,
    replied_at: submission.repliedAt?.toISOString() ?? null,
    metadata: submission.metadata,
    created_at: submission.createdAt.toISOString(),
    updated_at: submission.updatedAt.toISOString(),
  };
}

/** A search hit: the submission and the form it belongs to (a search can span forms). */
export interface SubmissionMatchOutput extends SubmissionOutput {
  form_id: string;
}

/** Counts over one form's submissions or all of an owner's. */
export interface SubmissionStatsOutput {
  total: number;
  inbox: number;
  spam: number;
  /** Submissions per reply status; statuses no submission has are left out. */
  replies: Partial<Record<ReplyStatus, number>>;
  first_at: string | null;
  last_at: string | null;
}
