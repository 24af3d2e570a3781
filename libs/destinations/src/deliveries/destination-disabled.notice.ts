import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppConfig } from '@intake/config';
import type { Destination } from '@intake/database';
import { Mailer } from '@intake/mail';
import { OwnerEvents } from '@intake/realtime';
import { DISABLE_AFTER_FAILED_DELIVERIES } from './delivery-policy';
import { DeliveryOutcomesRepository } from './delivery-outcomes.repository';

/** No owner request behind it: the worker disabled the destination. */
const SYSTEM_CLIENT = { ip: null, userAgent: null, requestId: null };

/** Owner-chosen names go into a subject line: no line breaks or other control characters. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/**
 * Tells the owner that a destination was disabled: an audit entry in their log and an
 * e-mail. The mail names the destination, its form and the last error, never its URL
 * (Slack and Discord URLs are credentials) nor a secret.
 */
@Injectable()
export class DestinationDisabledNotice {
  private readonly logger = new Logger(DestinationDisabledNotice.name);

  constructor(
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
    private readonly outcomes: DeliveryOutcomesRepository,
    private readonly config: AppConfig,
    private readonly events: OwnerEvents,
  ) {}

  async send(destination: Destination, formName: string): Promise<void> {
    this.events.publish({
      type: 'destination.disabled',
      ownerId: destination.userId,
      formId: destination.formId,
      subjectId: destination.id,
    });
    await this.audit.record({
      // The owner's own trail: entries are listed by user, and this one is about theirs.
      actorId: destination.userId,
      action: 'destination.disabled',
      target: { type: 'destination', id: destination.id },
      client: SYSTEM_CLIENT,
      metadata: {
        form_id: destination.formId,
        failure_count: destination.failureCount,
        reason: 'failed_deliveries',
      },
    });
    const email = await this.outcomes.ownerEmail(destination.userId);
    if (!email) return;
    // The destination stays disabled whether or not the mail goes out; a mail outage must
    // not make the worker retry a delivery that is already finished.
    await this.mailer.send(this.message(email, destination, formName)).catch((error: unknown) => {
      this.logger.warn(
        `Could not e-mail the owner about disabled destination ${destination.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private message(email: string, destination: Destination, formName: string) {
    const name = oneLine(destination.name);
    const path = `/api/forms/${destination.formId}/destinations/${destination.id}`;
    return {
      to: email,
      subject: `Destination ${name} was disabled after ${DISABLE_AFTER_FAILED_DELIVERIES} failed deliveries`,
      text: [
        `Intake stopped sending submissions of your form "${oneLine(formName)}" to the ${destination.type} destination "${name}": its last ${DISABLE_AFTER_FAILED_DELIVERIES} deliveries failed, each after every retry.`,
        '',
        `Last error: ${destination.lastError ?? 'unknown'}`,
        '',
        'New submissions are not sent to it while it is disabled; deliveries still pending wait.',
        'Once the receiving end works again, re-enable it (this resets its failure count):',
        `  POST ${this.config.publicUrl}${path}/enable`,
        `Failed deliveries can be sent again from its delivery log (GET ${path}/deliveries, then POST .../redeliver).`,
      ].join('\n'),
      headers: { 'X-Intake-Destination': destination.id },
    };
  }
}
