import { Inject, Injectable, Logger } from '@nestjs/common';
import { LeasedQueueConsumer, QueueSignals } from '@intake/common';
import { IntakeMetrics } from '@intake/metrics';
import { DeliveryAttemptHandler } from './delivery-attempt.handler';
import { DeliveryQueueRepository, type ClaimedDelivery } from './delivery-queue.repository';

/** Whether this process sends deliveries (always in the worker; in the api with JOBS_IN_API). */
export const RUN_DELIVERIES = Symbol('RUN_DELIVERIES');

/**
 * Consumes the delivery queue: claim due deliveries under a lease, attempt each, and let
 * DeliveryAttemptHandler record the outcome. Deliveries are at-least-once; receivers
 * de-duplicate on the `webhook-id`.
 */
@Injectable()
export class DeliveryRunner extends LeasedQueueConsumer<ClaimedDelivery> {
  protected readonly logger = new Logger(DeliveryRunner.name);

  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly handler: DeliveryAttemptHandler,
    metrics: IntakeMetrics,
    signals: QueueSignals,
    @Inject(RUN_DELIVERIES) enabled: boolean,
  ) {
    // Lease: well past one attempt (10 s timeout) plus its database writes.
    super({ batchSize: 20, leaseMs: 60_000, idlePollMs: 500 }, enabled, {
      signals,
      queue: 'deliveries',
    });
    metrics.observeQueueDepth('deliveries', () => queue.pendingCount());
  }

  protected claim(batchSize: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.queue.claim(batchSize, leaseMs);
  }

  protected handle(delivery: ClaimedDelivery): Promise<void> {
    return this.handler.handle(delivery);
  }
}
