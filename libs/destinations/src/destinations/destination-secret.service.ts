import { Injectable } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError } from '@intake/common';
import { toDestinationOutput, type DestinationWithSecretOutput } from './destination.output';
import { DestinationsRepository } from './destinations.repository';
import { DestinationsService } from './destinations.service';
import { WebhookSecrets } from './webhook-secrets';

/** Rotating a webhook destination's signing secret. */
@Injectable()
export class DestinationSecretService {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly repository: DestinationsRepository,
    private readonly secrets: WebhookSecrets,
    private readonly audit: AuditService,
  ) {}

  /**
   * The old secret stops signing at once: retries of pending deliveries are signed with
   * the new one, so the receiver must switch before (or accept both while) rotating.
   */
  async regenerate(
    ownerId: string,
    formId: string,
    destinationId: string,
    client: AuditClient,
  ): Promise<DestinationWithSecretOutput> {
    const destination = await this.destinations.find(ownerId, formId, destinationId);
    if (destination.type !== 'webhook') {
      throw new AppError(
        'invalid_destination_type',
        `Only webhook destinations have a secret; this one is ${destination.type}`,
      );
    }
    const { secret, sealed } = this.secrets.issue(destination.id);
    const updated = await this.repository.replaceSecret(ownerId, destination.id, sealed);
    await this.audit.record({
      actorId: ownerId,
      action: 'destination.secret_regenerated',
      target: { type: 'destination', id: destination.id },
      client,
      metadata: { form_id: formId },
    });
    return { ...toDestinationOutput(updated), secret };
  }
}
