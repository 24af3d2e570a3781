/**
 * The error catalogue of API.md: every code Intake answers with, its HTTP status and
 * what it means. Clients switch on `code`; messages are for people and may change.
 */
export const ERROR_CODES = {
  /** A query or path parameter is malformed, or the body is not valid JSON. */
  invalid_params: 400,
  /** No credentials, or credentials that do not identify anyone. */
  unauthorized: 401,
  /** A bearer token, API key or opaque endpoint segment that is malformed, expired or revoked. */
  invalid_token: 401,
  /** Password was right but the account has 2FA on and no code was sent. */
  totp_required: 401,
  /** Authenticated, but this action is not allowed (CSRF failure, origin not allowed, IP not allowed). */
  forbidden: 403,
  /** A sensitive action needs a recent proof of identity: POST /auth/reauthenticate first. */
  reauthentication_required: 403,
  /** The API key or OAuth token lacks the scope the route declares. */
  insufficient_scope: 403,
  /** No such resource for this owner (another tenant's resource is also a 404). */
  not_found: 404,
  /** No form behind a well-formed public endpoint. */
  form_not_found: 404,
  /** A uniqueness rule or an idempotency replay with a different body. */
  conflict: 409,
  /** The body is larger than the route accepts. */
  payload_too_large: 413,
  /** The body's content type is not one the route accepts. */
  unsupported_media_type: 415,
  /** The body parsed but broke the route's rules; `details` says which field and why. */
  validation_error: 422,
  /** The action does not apply to this destination's type (e.g. a secret for a Slack destination). */
  invalid_destination_type: 422,
  /** Too many requests; `retry_after` and the `Retry-After` header say when to come back. */
  rate_limited: 429,
  /** An unexpected failure on our side; the request id in the response locates it in the logs. */
  internal_error: 500,
  /** A dependency (database, Redis) is down; retry later. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error body of API.md. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, string[]>;
    retry_after?: number;
    request_id?: string;
  };
}
