import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { FormsService } from '@intake/forms';
import { Mailer } from '@intake/mail';
import { OwnerEvents } from '@intake/realtime';
import { SubmissionsService, toSubmissionOutput, type SubmissionOutput } from '@intake/submissions';
import { replyRecipient, smartReplyMail } from '../ai/smart-reply-mail';
import { ReplyReviewRepository } from './reply-review.repository';
import type { SendReplyInput } from './send-reply.input';

/**
 * The human half of smart replies (`smart_replies_mode: draft`): the owner reviews the
 * model's draft, or writes the answer the model could not, and sends it.
 *
 * Sent at once rather than queued, so the owner sees whether the mail server took it; a
 * refusal leaves `delivery_failed`, from which they may send again. The reply is claimed
 * before sending (compare-and-set), so a double click sends one mail.
 */
@Injectable()
export class ReplyReviewService {
  private readonly logger = new Logger(ReplyReviewService.name);

  constructor(
    private readonly repository: ReplyReviewRepository,
    private readonly forms: FormsService,
    private readonly submissions: SubmissionsService,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly events: OwnerEvents,
  ) {}

  async send(
    ownerId: string,
    formId: string,
    id: string,
    reply: SendReplyInput,
    client: AuditClient,
  ): Promise<SubmissionOutput> {
    const form = await this.forms.get(ownerId, formId);
    const claimed = await this.repository.claim(ownerId, formId, id, reply);
    if (!claimed) throw await this.whyNotSendable(ownerId, formId, id);
    const to = replyRecipient(claimed.data, form.smart_reply_email_field);
    if (!to) {
      await this.repository.settle(ownerId, id, 'delivery_failed');
      throw new AppError('conflict', 'The submission holds no address to reply to');
    }
    let sent: SubmissionOutput;
    try {
      await this.mailer.send(
        smartReplyMail(
          { submissionId: id, formId, to, subject: reply.subject, body: reply.content },
          new URL(this.config.publicUrl).hostname,
        ),
      );
      sent = toSubmissionOutput(await this.repository.settle(ownerId, id, 'delivered'));
    } catch (error) {
      await this.repository.settle(ownerId, id, 'delivery_failed');
      // The error's name only: mail servers quote the recipient's address in their refusals.
      const reason = error instanceof Error ? error.name : 'unknown';
      this.logger.warn({ submissionId: id, reason }, 'A reviewed reply was not sent');
      throw new AppError('unavailable', 'The mail server did not take the reply; try again');
    }
    this.events.publish({ type: 'submission.updated', ownerId, formId, subjectId: id });
    await this.audit.record({
      actorId: ownerId,
      action: 'submission.reply_sent',
      target: { type: 'submission', id },
      client,
    });
    return sent;
  }

  /** Not the owner's (404), spam, already sent or on its way, or never drafted (409). */
  private async whyNotSendable(ownerId: string, formId: string, id: string): Promise<AppError> {
    await this.submissions.get(ownerId, formId, id);
    return new AppError('conflict', 'This submission has no reply to send');
  }
}
