import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { paginationQuery, uuidParam, ZodValidationPipe, type PageMeta } from '@intake/common';
import { DeliveryLogService, type DeliveryOutput } from '@intake/destinations';
import type { z } from 'zod';

const formId = uuidParam('Form');
const destinationId = uuidParam('Destination');
const deliveryId = uuidParam('Delivery');
// Same bounds as the form listing, so the OpenAPI document can share its query description.
const listDeliveriesQuery = paginationQuery(100);

/** A destination's delivery log; `destinations:write` like the destination itself. */
@Controller('api/forms/:formId/destinations/:destinationId/deliveries')
export class DeliveriesController {
  constructor(private readonly log: DeliveryLogService) {}

  @Get()
  @ApiKeyAuth('destinations:write')
  list(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) destination: string,
    @Query(new ZodValidationPipe(listDeliveriesQuery, 'query'))
    query: z.output<typeof listDeliveriesQuery>,
  ): Promise<{ deliveries: DeliveryOutput[]; meta: PageMeta }> {
    return this.log.list(ownerId, form, destination, query.page, query.page_size);
  }

  /** 202: the delivery is queued again, not sent yet. */
  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiKeyAuth('destinations:write')
  async redeliver(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) destination: string,
    @Param('id', deliveryId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ delivery: DeliveryOutput }> {
    return { delivery: await this.log.redeliver(ownerId, form, destination, id, client) };
  }
}
