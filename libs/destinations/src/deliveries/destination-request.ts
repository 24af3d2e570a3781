import { storedFieldsSchema } from '@intake/forms';
import { signWebhook } from '../delivery';
import type { ChatMessageInput } from '../payloads/chat-message.input';
import { discordMessage } from '../payloads/discord-message';
import { slackMessage } from '../payloads/slack-message';
import { submissionFields } from '../payloads/submission-fields';
import { webhookEvent } from '../payloads/webhook-event';
import type { DeliveryContext } from './delivery-queue.repository';

/** The request body and headers for one attempt. */
export interface DestinationRequest {
  headers: Record<string, string>;
  body: string;
}

/** A delivery that cannot even be prepared; recorded as a failed attempt like any other. */
export class UnsendableDeliveryError extends Error {
  override readonly name = 'UnsendableDeliveryError';
  constructor(
    readonly reason: 'secret_unavailable',
    message: string,
  ) {
    super(message);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Builds what is sent to the destination, per type. The body is built at send time from
 * the submission as it is then (a retry after the owner moved it to spam says so); the
 * event id and `created_at` come from the delivery row, so they are stable across retries.
 * `secret` is the opened webhook secret (webhooks only).
 */
export function destinationRequest(
  context: DeliveryContext,
  secret: string | null,
  now: Date,
): DestinationRequest {
  const { destination, submission } = context;
  if (destination.type === 'webhook') {
    if (secret === null) {
      throw new UnsendableDeliveryError(
        'secret_unavailable',
        'The webhook secret could not be opened; regenerate it',
      );
    }
    const body = JSON.stringify(
      webhookEvent({
        eventId: context.eventId,
        createdAt: context.createdAt,
        form: submission.form,
        submission,
      }),
    );
    const signature = signWebhook({ secret, id: context.eventId, timestamp: now, body });
    return { headers: { ...JSON_HEADERS, ...signature }, body };
  }
  const message: ChatMessageInput = {
    formName: submission.form.name,
    submissionId: submission.id,
    createdAt: submission.createdAt,
    spam: submission.spam,
    fields: submissionFields(submission.data, storedFieldsSchema(submission.version)),
  };
  const payload = destination.type === 'slack' ? slackMessage(message) : discordMessage(message);
  return { headers: JSON_HEADERS, body: JSON.stringify(payload) };
}
