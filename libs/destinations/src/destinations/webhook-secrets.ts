import { Injectable } from '@nestjs/common';
import { SecretBox } from '@intake/common';
import { newWebhookSecret } from '../delivery';

/**
 * Webhook secrets at rest: sealed with SecretBox, the purpose naming the destination, so
 * a sealed value copied into another destination's row does not open there.
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  /** A fresh `whsec_` secret (plaintext, shown once) and its sealed form (stored). */
  issue(destinationId: string): { secret: string; sealed: string } {
    const secret = newWebhookSecret();
    return { secret, sealed: this.box.seal(secret, webhookSecretPurpose(destinationId)) };
  }

  /** Null when the value cannot be opened (tampered, or its key was removed from ENCRYPTION_KEYS). */
  open(destinationId: string, sealed: string): string | null {
    return this.box.open(sealed, webhookSecretPurpose(destinationId));
  }
}

/** The SecretBox purpose of a destination's webhook secret (also used by key rotation). */
export function webhookSecretPurpose(destinationId: string): string {
  return `destination.webhook_secret:${destinationId}`;
}
