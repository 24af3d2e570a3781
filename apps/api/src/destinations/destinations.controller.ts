import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { uuidParam, ZodValidationPipe } from '@intake/common';
import {
  createDestinationInput,
  DestinationSecretService,
  DestinationsService,
  type CreateDestinationInput,
  type DestinationOutput,
  type DestinationWithSecretOutput,
} from '@intake/destinations';

const formId = uuidParam('Form');
const destinationId = uuidParam('Destination');

/**
 * Every route, reads included, needs `destinations:write`: a destination's URL is a
 * credential (anyone holding a Slack or Discord webhook URL can post to that channel), so
 * `forms:read` must not reveal it.
 */
@Controller('api/forms/:formId/destinations')
export class DestinationsController {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly secrets: DestinationSecretService,
  ) {}

  @Get()
  @ApiKeyAuth('destinations:write')
  async list(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
  ): Promise<{ destinations: DestinationOutput[] }> {
    return { destinations: await this.destinations.list(ownerId, form) };
  }

  @Post()
  @ApiKeyAuth('destinations:write')
  async create(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Body(new ZodValidationPipe(createDestinationInput)) input: CreateDestinationInput,
    @Client() client: ClientContext,
  ): Promise<{ destination: DestinationWithSecretOutput }> {
    return { destination: await this.destinations.create(ownerId, form, input, client) };
  }

  @Delete(':id')
  @ApiKeyAuth('destinations:write')
  async delete(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', destinationId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ destination: DestinationOutput }> {
    return { destination: await this.destinations.delete(ownerId, form, id, client) };
  }

  @Post(':id/regenerate-secret')
  @HttpCode(200)
  @ApiKeyAuth('destinations:write')
  async regenerateSecret(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', destinationId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ destination: DestinationWithSecretOutput }> {
    return { destination: await this.secrets.regenerate(ownerId, form, id, client) };
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiKeyAuth('destinations:write')
  async enable(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', destinationId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ destination: DestinationOutput }> {
    return { destination: await this.destinations.enable(ownerId, form, id, client) };
  }
}
