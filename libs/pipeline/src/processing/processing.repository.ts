import { Injectable } from '@nestjs/common';
import {
  PrismaService,
  type Form,
  type FormVersion,
  type KnowledgeBase,
  type Prisma,
  type ReplyStatus,
  type Submission,
} from '@intake/database';

export type SubmissionForProcessing = Submission & {
  form: Form & { user: { locale: string }; knowledgeBase: KnowledgeBase | null };
  version: FormVersion;
};

/** Everything the processing step decides, written at once when the submission completes. */
export interface ProcessingOutcome {
  spam: boolean;
  spamConfidence: number | null;
  spamReason: string | null;
  processingReason: string | null;
  detectedLanguage: string | null;
  translatedData?: Prisma.InputJsonObject;
  replyStatus?: ReplyStatus;
  replySubject?: string;
  replyContent?: string;
}

/** System context: the worker acts for every owner, one submission at a time. */
@Injectable()
export class ProcessingRepository {
  constructor(private readonly prisma: PrismaService) {}

  load(submissionId: string): Promise<SubmissionForProcessing | null> {
    return this.prisma.submission.findUnique({
      where: { id: submissionId },
      include: {
        form: { include: { user: { select: { locale: true } }, knowledgeBase: true } },
        version: true,
      },
    });
  }

  async finish(submissionId: string, outcome: ProcessingOutcome): Promise<Submission> {
    return this.prisma.submission.update({
      where: { id: submissionId },
      data: { ...outcome, processingStatus: 'completed' },
    });
  }

  async fail(submissionId: string, reason: string): Promise<void> {
    await this.prisma.submission.updateMany({
      where: { id: submissionId },
      data: { processingStatus: 'failed', processingReason: reason },
    });
  }

  /**
   * Per-form signals for the standard spam check: exact duplicates of this submission's
   * data in the last 24 hours, and how soon after the previous one from the same IP it came.
   * The owner condition is redundant but lets both scans use the (user_id, form_id,
   * created_at) index.
   */
  async recentSignals(
    submission: Submission,
  ): Promise<{ sameContentCount: number; secondsSinceLastFromSameIp: number | null }> {
    const ip = (submission.metadata as { ip?: string | null } | null)?.ip ?? null;
    const [row] = await this.prisma.$queryRaw<{ duplicates: number; previous: Date | null }[]>`
      SELECT
        (SELECT count(*)::int FROM submissions
          WHERE user_id = ${submission.userId}::uuid AND form_id = ${submission.formId}::uuid AND id <> ${submission.id}::uuid
            AND created_at > ${submission.createdAt}::timestamptz - interval '24 hours' AND data = ${JSON.stringify(submission.data)}::jsonb) AS duplicates,
        (SELECT max(created_at) FROM submissions
          WHERE user_id = ${submission.userId}::uuid AND form_id = ${submission.formId}::uuid AND id <> ${submission.id}::uuid AND ${ip}::text IS NOT NULL
            AND metadata->>'ip' = ${ip} AND created_at <= ${submission.createdAt}::timestamptz
            AND created_at > ${submission.createdAt}::timestamptz - interval '1 hour') AS previous`;
    return {
      sameContentCount: row?.duplicates ?? 0,
      secondsSinceLastFromSameIp: row?.previous
        ? (submission.createdAt.getTime() - row.previous.getTime()) / 1000
        : null,
    };
  }

  /**
   * Records how an auto reply's sending ended. Only from `awaiting_delivery`, so a retried
   * job that finds `delivered` does not send again.
   */
  async markReplySent(
    submissionId: string,
    status: 'delivered' | 'delivery_failed',
  ): Promise<void> {
    await this.prisma.submission.updateMany({
      where: { id: submissionId, replyStatus: 'awaiting_delivery' },
      data: { replyStatus: status, repliedAt: status === 'delivered' ? new Date() : null },
    });
  }

  async markOwnerNotified(submissionId: string): Promise<void> {
    await this.prisma.submission.updateMany({
      where: { id: submissionId, ownerNotifiedAt: null },
      data: { ownerNotifiedAt: new Date() },
    });
  }
}
