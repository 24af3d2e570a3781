import { Injectable } from '@nestjs/common';
import { PrismaService, type Submission } from '@intake/database';
import { abandonedClaimCutoff, SENDABLE_REPLY_STATUSES } from './reply-sendability';

/** The owner's side of smart replies: every query carries the owner id (and runs under RLS). */
@Injectable()
export class ReplyReviewRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Takes the reply for sending: compare-and-set from a sendable state (or an abandoned
   * claim, see ABANDONED_REPLY_CLAIM_MS) to `awaiting_delivery` with the owner's final
   * words, so two clicks send one mail.
   */
  async claim(
    ownerId: string,
    formId: string,
    id: string,
    reply: { subject: string; content: string },
  ): Promise<Submission | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const { count } = await tx.submission.updateMany({
        where: {
          id,
          formId,
          userId: ownerId,
          spam: false,
          OR: [
            { replyStatus: { in: [...SENDABLE_REPLY_STATUSES] } },
            // While its job exists, an auto reply's sending belongs to the pipeline.
            {
              replyStatus: 'awaiting_delivery',
              updatedAt: { lt: abandonedClaimCutoff(new Date()) },
              job: { is: null },
            },
          ],
        },
        data: {
          replyStatus: 'awaiting_delivery',
          replySubject: reply.subject,
          replyContent: reply.content,
        },
      });
      return count ? tx.submission.findFirst({ where: { id, formId, userId: ownerId } }) : null;
    });
  }

  async settle(
    ownerId: string,
    id: string,
    status: 'delivered' | 'delivery_failed',
  ): Promise<Submission> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.submission.update({
        where: { id, userId: ownerId },
        data: { replyStatus: status, repliedAt: status === 'delivered' ? new Date() : null },
      }),
    );
  }
}
