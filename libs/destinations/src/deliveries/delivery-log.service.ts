import { Injectable } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError, keysetBatches, pageMeta, QueueSignals, type PageMeta } from '@intake/common';
import { DestinationsService } from '../destinations/destinations.service';
import { DeliveriesRepository, type DeliveryCursor } from './deliveries.repository';
import { toDeliveryOutput, type DeliveryOutput, type DeliveryRecord } from './delivery.output';

/** Deliveries per keyset query of the account export (each carries its attempts). */
const EXPORT_BATCH_SIZE = 200;

/** A destination's delivery log and manual redelivery. */
@Injectable()
export class DeliveryLogService {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly repository: DeliveriesRepository,
    private readonly audit: AuditService,
    private readonly signals: QueueSignals,
  ) {}

  async list(
    ownerId: string,
    formId: string,
    destinationId: string,
    page: number,
    pageSize: number,
  ): Promise<{ deliveries: DeliveryOutput[]; meta: PageMeta }> {
    const destination = await this.destinations.find(ownerId, formId, destinationId);
    const [deliveries, total] = await this.repository.page(ownerId, destination.id, page, pageSize);
    return { deliveries: deliveries.map(toDeliveryOutput), meta: pageMeta(page, pageSize, total) };
  }

  /**
   * A destination's whole log, oldest first, streamed in keyset batches: the account
   * export's part. Scoped to the owner, so another owner's destination yields nothing.
   */
  async *everyDelivery(ownerId: string, destinationId: string): AsyncGenerator<DeliveryOutput> {
    const deliveries = keysetBatches<DeliveryRecord, DeliveryCursor>(
      (cursor, size) => this.repository.batchAfter(ownerId, destinationId, cursor, size),
      (delivery) => ({ createdAt: delivery.createdAt, id: delivery.id }),
      EXPORT_BATCH_SIZE,
    );
    for await (const delivery of deliveries) yield toDeliveryOutput(delivery);
  }

  /**
   * Sends the same event again: the same delivery goes back to pending with a fresh round
   * of attempts, keeping its log and its event id (the `webhook-id`). The event is the same
   * one, so a receiver that already processed it may drop it as a duplicate; redelivery is
   * for receivers that failed or lost it.
   */
  async redeliver(
    ownerId: string,
    formId: string,
    destinationId: string,
    deliveryId: string,
    client: AuditClient,
  ): Promise<DeliveryOutput> {
    const destination = await this.destinations.find(ownerId, formId, destinationId);
    const delivery = await this.repository.find(ownerId, destination.id, deliveryId);
    if (!delivery) throw AppError.notFound('Delivery');
    if (!destination.enabled) {
      throw new AppError('conflict', 'The destination is disabled; enable it first');
    }
    const reset = await this.repository.resetForRedelivery(ownerId, delivery.id);
    if (!reset) throw new AppError('conflict', 'The delivery is still pending');
    this.signals.notify('deliveries');
    await this.audit.record({
      actorId: ownerId,
      action: 'delivery.redelivered',
      target: { type: 'delivery', id: delivery.id },
      client,
      metadata: { destination_id: destination.id },
    });
    return toDeliveryOutput(reset);
  }
}
