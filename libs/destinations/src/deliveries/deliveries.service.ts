import { Injectable } from '@nestjs/common';
import { QueueSignals } from '@intake/common';
import { DeliveryQueueRepository } from './delivery-queue.repository';

/** The pipeline's entry point into destinations. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly signals: QueueSignals,
  ) {}

  /**
   * To be called once a submission's processing has ended (API.md: events are "sent after
   * processing ends"), with its final spam verdict stored. Queues one delivery per enabled
   * destination of its form, spam only to destinations with `include_spam`. Idempotent (a
   * re-run job queues nothing twice); returns how many deliveries were queued.
   */
  async enqueueFor(submissionId: string): Promise<number> {
    const queued = await this.queue.enqueue(submissionId);
    if (queued > 0) this.signals.notify('deliveries');
    return queued;
  }
}
