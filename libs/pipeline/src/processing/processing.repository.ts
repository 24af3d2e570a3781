import { Injectable } from '@nestjs/common';
import { PrismaService, type Form, type FormVersion, type Submission } from '@intake/database';

export type SubmissionForProcessing = Submission & { form: Form; version: FormVersion };

/** System context: the worker acts for every owner, one submission at a time. */
@Injectable()
export class ProcessingRepository {
  constructor(private readonly prisma: PrismaService) {}

  load(submissionId: string): Promise<SubmissionForProcessing | null> {
    return this.prisma.submission.findUnique({
      where: { id: submissionId },
      include: { form: true, version: true },
    });
  }

  async finish(
    submissionId: string,
    outcome: {
      spam: boolean;
      spamConfidence: number | null;
      spamReason: string | null;
      processingReason: string | null;
    },
  ): Promise<Submission> {
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
   */
  async recentSignals(
    submission: Submission,
  ): Promise<{ sameContentCount: number; secondsSinceLastFromSameIp: number | null }> {
    const ip = (submission.metadata as { ip?: string | null } | null)?.ip ?? null;
    const [row] = await this.prisma.$queryRaw<{ duplicates: number; previous: Date | null }[]>`
      SELECT
        (SELECT count(*)::int FROM submissions
          WHERE form_id = ${submission.formId}::uuid AND id <> ${submission.id}::uuid
            AND created_at > ${submission.createdAt}::timestamptz - interval '24 hours' AND data = ${JSON.stringify(submission.data)}::jsonb) AS duplicates,
        (SELECT max(created_at) FROM submissions
          WHERE form_id = ${submission.formId}::uuid AND id <> ${submission.id}::uuid AND ${ip}::text IS NOT NULL
            AND metadata->>'ip' = ${ip} AND created_at <= ${submission.createdAt}::timestamptz
            AND created_at > ${submission.createdAt}::timestamptz - interval '1 hour') AS previous`;
    return {
      sameContentCount: row?.duplicates ?? 0,
      secondsSinceLastFromSameIp: row?.previous
        ? (submission.createdAt.getTime() - row.previous.getTime()) / 1000
        : null,
    };
  }

  async markOwnerNotified(submissionId: string): Promise<void> {
    await this.prisma.submission.updateMany({
      where: { id: submissionId, ownerNotifiedAt: null },
      data: { ownerNotifiedAt: new Date() },
    });
  }
}
