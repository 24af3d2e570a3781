/**
 * Why a delivery failed, as recorded in the delivery log and shown to the destination's
 * owner. Stable values: the pipeline switches on them (retry or not) and the dashboard
 * shows them. Messages are for people and never carry a resolved address (that would
 * turn a destination into an oracle for our internal DNS).
 */
export const DELIVERY_FAILURE_REASONS = {
  /** The URL is malformed, not https (http only when private destinations are allowed), or carries credentials. */
  invalid_url: 'Destination URL is not allowed',
  /** The host is, or resolves to, an address in a refused range (private, loopback, metadata...). */
  blocked_address: 'Destination address is not allowed',
  /** The hostname did not resolve. */
  dns_failed: 'Destination hostname did not resolve',
  /** No answer (DNS, connect, TLS, headers and body) within the time limit. */
  timeout: 'Destination did not answer in time',
  /** The TCP connection was refused, reset or otherwise failed. */
  connection_failed: 'Could not connect to the destination',
  /** The TLS handshake failed (untrusted or expired certificate, wrong hostname...). */
  tls_failed: 'TLS handshake with the destination failed',
  /** The destination answered 3xx; redirects are never followed (the target could be internal). */
  redirect: 'Destination answered with a redirect',
  /** The destination answered 4xx or 5xx. */
  http_status: 'Destination answered with an error status',
} as const;

export type DeliveryFailureReason = keyof typeof DELIVERY_FAILURE_REASONS;

export interface DeliveryErrorDetails {
  /** HTTP status, for `redirect` and `http_status`. */
  status?: number;
  /** Time since the attempt started (DNS included), when it got that far. */
  latencyMs?: number;
  /** The start of the response body, for `redirect` and `http_status`. */
  snippet?: string;
  /** The address range that was refused (`loopback`, `private`...), for `blocked_address`. */
  range?: string;
  /** The underlying error, for logs only. */
  cause?: unknown;
}

/** A failed delivery attempt with a stable `reason`; see DELIVERY_FAILURE_REASONS. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly status?: number;
  readonly latencyMs?: number;
  readonly snippet?: string;
  readonly range?: string;

  constructor(
    readonly reason: DeliveryFailureReason,
    details: DeliveryErrorDetails = {},
    message: string = DELIVERY_FAILURE_REASONS[reason],
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.latencyMs = details.latencyMs;
    this.snippet = details.snippet;
    this.range = details.range;
  }
}
