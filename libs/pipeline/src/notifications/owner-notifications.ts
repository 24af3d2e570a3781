import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { Mailer } from '@intake/mail';
import {
  ownerNotificationMail,
  type NotifiableForm,
  type NotifiableSubmission,
} from './owner-notification-mail';

export type NotificationOutcome = 'sent' | 'already_sent' | 'not_eligible' | 'no_recipients';

/** Some recipients could not be sent to; the job should retry. No addresses in the message. */
export class OwnerNotificationError extends Error {
  override readonly name = 'OwnerNotificationError';
}

/**
 * E-mails the form's `notify_emails` about a new submission.
 *
 * Caller contract:
 * - Call it for a submission that finished processing as completed and not spam; anything
 *   else is skipped (`not_eligible`) as a safety net, not as the place that decides.
 * - `submission.ownerNotifiedAt` is the durable record that the notification went out; the
 *   caller sets it once this resolves with `sent`, so a retried job does not mail the owner
 *   again. Between the send and that record a crash can still repeat the mail
 *   (at-least-once); the stable Message-ID lets mail clients fold the duplicate.
 * - One message per recipient, so recipients do not see each other's addresses. If any
 *   fails it throws after trying all; the retry then resends to all of them.
 */
@Injectable()
export class OwnerNotifications {
  constructor(
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
  ) {}

  async notifySubmission(
    submission: NotifiableSubmission,
    form: NotifiableForm,
  ): Promise<NotificationOutcome> {
    if (submission.ownerNotifiedAt) return 'already_sent';
    if (submission.processingStatus !== 'completed' || submission.spam) return 'not_eligible';
    if (form.notifyEmails.length === 0) return 'no_recipients';
    const mail = ownerNotificationMail(submission, form, new URL(this.config.publicUrl).hostname);
    const results = await Promise.allSettled(
      form.notifyEmails.map((to) => this.mailer.send({ ...mail, to })),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    if (failures.length > 0) {
      throw new OwnerNotificationError(
        `Owner notification failed for ${failures.length} of ${results.length} recipients`,
        { cause: failures[0]?.reason },
      );
    }
    return 'sent';
  }
}
