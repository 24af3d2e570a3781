import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError } from '@intake/common';
import { AppConfig } from '@intake/config';
import type { Destination } from '@intake/database';
import { FormsService } from '@intake/forms';
import type { CreateDestinationInput } from './create-destination.input';
import { vetDestinationUrl } from './destination-url-policy';
import {
  toDestinationOutput,
  type DestinationOutput,
  type DestinationWithSecretOutput,
} from './destination.output';
import { DestinationsRepository } from './destinations.repository';
import { WebhookSecrets } from './webhook-secrets';

/** Each one costs a request per submission; a form is not a fan-out service. */
export const MAX_DESTINATIONS_PER_FORM = 20;

/** Creating, listing, deleting and re-enabling a form's destinations. */
@Injectable()
export class DestinationsService {
  constructor(
    private readonly repository: DestinationsRepository,
    private readonly forms: FormsService,
    private readonly secrets: WebhookSecrets,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(ownerId: string, formId: string): Promise<DestinationOutput[]> {
    await this.forms.find(ownerId, formId);
    return (await this.repository.list(ownerId, formId)).map(toDestinationOutput);
  }

  async create(
    ownerId: string,
    formId: string,
    input: CreateDestinationInput,
    client: AuditClient,
  ): Promise<DestinationWithSecretOutput> {
    await this.forms.find(ownerId, formId);
    if ((await this.repository.count(ownerId, formId)) >= MAX_DESTINATIONS_PER_FORM) {
      throw AppError.validation({
        form_id: [`has ${MAX_DESTINATIONS_PER_FORM} destinations already`],
      });
    }
    const url = await vetDestinationUrl(input.type, input.url, {
      allowPrivate: this.config.env.ALLOW_PRIVATE_DESTINATIONS,
    });
    // The id is chosen here because the sealed secret is bound to it (WebhookSecrets).
    const id = randomUUID();
    const issued = input.type === 'webhook' ? this.secrets.issue(id) : null;
    const destination = await this.repository.create(ownerId, {
      id,
      formId,
      type: input.type,
      name: input.name,
      url,
      includeSpam: input.include_spam,
      secretSealed: issued?.sealed ?? null,
    });
    await this.audit.record({
      actorId: ownerId,
      action: 'destination.created',
      target: { type: 'destination', id },
      client,
      metadata: { form_id: formId, type: input.type },
    });
    return { ...toDestinationOutput(destination), ...(issued ? { secret: issued.secret } : {}) };
  }

  async delete(
    ownerId: string,
    formId: string,
    destinationId: string,
    client: AuditClient,
  ): Promise<DestinationOutput> {
    const destination = await this.find(ownerId, formId, destinationId);
    await this.repository.delete(ownerId, destination.id);
    await this.audit.record({
      actorId: ownerId,
      action: 'destination.deleted',
      target: { type: 'destination', id: destination.id },
      client,
      metadata: { form_id: formId },
    });
    return toDestinationOutput(destination);
  }

  /** Re-enables and resets `failure_count`; pending deliveries for it resume. */
  async enable(
    ownerId: string,
    formId: string,
    destinationId: string,
    client: AuditClient,
  ): Promise<DestinationOutput> {
    const destination = await this.find(ownerId, formId, destinationId);
    const enabled = await this.repository.enable(ownerId, destination.id);
    await this.audit.record({
      actorId: ownerId,
      action: 'destination.enabled',
      target: { type: 'destination', id: destination.id },
      client,
      metadata: { form_id: formId, was_enabled: destination.enabled },
    });
    return toDestinationOutput(enabled);
  }

  /** The destination, or 404: also for another owner's form or destination (no oracle). */
  async find(ownerId: string, formId: string, destinationId: string): Promise<Destination> {
    await this.forms.find(ownerId, formId);
    const destination = await this.repository.find(ownerId, formId, destinationId);
    if (!destination) throw AppError.notFound('Destination');
    return destination;
  }
}
