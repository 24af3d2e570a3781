import { Injectable } from '@nestjs/common';
import { IntakeMetrics } from '@intake/metrics';
import { DeliveryOutcomesRepository, type AttemptRef } from './delivery-outcomes.repository';
import { deliveryRetryDelayMs, MAX_DELIVERY_ATTEMPTS } from './delivery-policy';
import { DeliveryQueueRepository, type ClaimedDelivery } from './delivery-queue.repository';
import { DestinationDisabledNotice } from './destination-disabled.notice';
import { DestinationSender } from './destination-sender';

/**
 * One attempt of one claimed delivery: reserve the attempt number, send, then record the
 * outcome and its consequences (retry later, delivered, or failed and maybe disabled).
 */
@Injectable()
export class DeliveryAttemptHandler {
  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly outcomes: DeliveryOutcomesRepository,
    private readonly sender: DestinationSender,
    private readonly disabledNotice: DestinationDisabledNotice,
    private readonly metrics: IntakeMetrics,
  ) {}

  async handle(claimed: ClaimedDelivery): Promise<void> {
    const context = await this.queue.load(claimed.id);
    // Gone with its submission or destination since the claim.
    if (!context) return;
    // Disabled between the claim and now: not sent, and the attempt does not count.
    if (!context.destination.enabled || context.status !== 'pending') {
      return this.queue.release(context.id);
    }
    const attempt = await this.queue.reserveAttempt(context);
    // Another worker holds this attempt number; it sends and records it, not us.
    if (attempt === null) return;
    const ref: AttemptRef = {
      deliveryId: context.id,
      destinationId: context.destinationId,
      attempt,
    };
    const { delivered, result } = await this.sender.send(context);
    if (delivered) return this.outcomes.delivered(ref, result);
    this.metrics.deliveryFailed(context.destination.type);
    if (claimed.attempts < MAX_DELIVERY_ATTEMPTS) {
      return this.outcomes.retryLater(ref, result, deliveryRetryDelayMs(claimed.attempts));
    }
    const disabled = await this.outcomes.failed(ref, result);
    if (disabled) await this.disabledNotice.send(disabled, context.submission.form.name);
  }
}
