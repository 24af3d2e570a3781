import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { DeliveryError, safeFetch } from '../delivery';
import { WebhookSecrets } from '../destinations/webhook-secrets';
import type { AttemptResult } from './delivery-outcomes.repository';
import type { DeliveryContext } from './delivery-queue.repository';
import { destinationRequest, UnsendableDeliveryError } from './destination-request';

/** API.md: timeout 10 s. */
const TIMEOUT_MS = 10_000;
/** The delivery_attempts.response column. */
const SNIPPET_MAX = 1000;

export interface SendResult {
  /** The destination answered 2xx. */
  delivered: boolean;
  result: AttemptResult;
}

/** Sends one attempt through safeFetch (SSRF-checked again now: DNS may have changed). */
@Injectable()
export class DestinationSender {
  private readonly logger = new Logger(DestinationSender.name);

  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly config: AppConfig,
  ) {}

  async send(context: DeliveryContext): Promise<SendResult> {
    const { destination } = context;
    try {
      const secret = destination.secretSealed
        ? this.secrets.open(destination.id, destination.secretSealed)
        : null;
      const request = destinationRequest(context, secret, new Date());
      const response = await safeFetch(destination.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        timeoutMs: TIMEOUT_MS,
        maxSnippetBytes: SNIPPET_MAX,
        allowPrivate: this.config.env.ALLOW_PRIVATE_DESTINATIONS,
      });
      return {
        delivered: true,
        result: {
          status: response.status,
          latencyMs: response.latencyMs,
          error: null,
          response: storable(response.snippet),
        },
      };
    } catch (error) {
      return { delivered: false, result: this.failure(context, error) };
    }
  }

  private failure(context: DeliveryContext, error: unknown): AttemptResult {
    if (error instanceof DeliveryError) {
      return {
        status: error.status ?? null,
        latencyMs: error.latencyMs ?? null,
        error: `${error.reason}: ${error.message}`,
        response: error.snippet === undefined ? null : storable(error.snippet),
      };
    }
    if (error instanceof UnsendableDeliveryError) {
      return {
        status: null,
        latencyMs: null,
        error: `${error.reason}: ${error.message}`,
        response: null,
      };
    }
    // A bug on our side: the owner sees a stable reason, the operator the details.
    this.logger.error(
      `Delivery ${context.id} could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      status: null,
      latencyMs: null,
      error: 'internal_error: The delivery could not be prepared',
      response: null,
    };
  }
}

/** PostgreSQL text cannot hold NUL; a receiver's body may contain one. */
function storable(snippet: string): string {
  return snippet.replaceAll('\u0000', '').slice(0, SNIPPET_MAX);
}
