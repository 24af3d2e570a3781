import type { Delivery, DeliveryAttempt } from '@intake/database';

export interface DeliveryAttemptOutput {
  attempt: number;
  /** HTTP status, when a response arrived. */
  status: number | null;
  latency_ms: number | null;
  /** Stable reason (DELIVERY_FAILURE_REASONS, or `secret_unavailable`, `internal_error`, `interrupted`). */
  error_code: string | null;
  error: string | null;
  /** The first bytes (at most 1000 characters) of the response body. */
  response: string | null;
  created_at: string;
}

export interface DeliveryOutput {
  id: string;
  submission_id: string;
  /** The `webhook-id`: the same on every attempt and redelivery. */
  event_id: string;
  status: Delivery['status'];
  /** When the next attempt is due; null unless pending. */
  next_attempt_at: string | null;
  attempts: DeliveryAttemptOutput[];
  created_at: string;
  updated_at: string;
}

export type DeliveryRecord = Delivery & { deliveryAttempts: DeliveryAttempt[] };

export function toDeliveryOutput(delivery: DeliveryRecord): DeliveryOutput {
  return {
    id: delivery.id,
    submission_id: delivery.submissionId,
    event_id: delivery.eventId,
    status: delivery.status,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    attempts: delivery.deliveryAttempts.map(toAttemptOutput),
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
  };
}

function toAttemptOutput(attempt: DeliveryAttempt): DeliveryAttemptOutput {
  // Stored as `<reason>: <message>` (see DestinationSender).
  const separator = attempt.error?.indexOf(': ') ?? -1;
  return {
    attempt: attempt.attempt,
    status: attempt.status,
    latency_ms: attempt.latencyMs,
    error_code: attempt.error && separator > 0 ? attempt.error.slice(0, separator) : null,
    error: attempt.error && separator > 0 ? attempt.error.slice(separator + 2) : attempt.error,
    response: attempt.response,
    created_at: attempt.createdAt.toISOString(),
  };
}
