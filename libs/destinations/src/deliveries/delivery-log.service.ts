import { Injectable } from '@nestjs/common';
import { AppError, pageMeta, type PageMeta } from '@intake/common';
import { DestinationsService } from '../destinations/destinations.service';
import { DeliveriesRepository } from './deliveries.repository';
import { toDeliveryOutput, type DeliveryOutput } from './delivery.output';

/** A destination's delivery log and manual redelivery. */
@Injectable()
export class DeliveryLogService {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly repository: DeliveriesRepository,
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
  ): Promise<DeliveryOutput> {
    const destination = await this.destinations.find(ownerId, formId, destinationId);
    const delivery = await this.repository.find(ownerId, destination.id, deliveryId);
    if (!delivery) throw AppError.notFound('Delivery');
    if (!destination.enabled) {
      throw new AppError('conflict', 'The destination is disabled; enable it first');
    }
    const reset = await this.repository.resetForRedelivery(ownerId, delivery.id);
    if (!reset) throw new AppError('conflict', 'The delivery is still pending');
    return toDeliveryOutput(reset);
  }
}
