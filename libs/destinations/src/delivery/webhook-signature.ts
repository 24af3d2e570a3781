import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, spec v1): what a receiver
 * verifies with the `standardwebhooks` package or any of its ports; see README.md here.
 * Hand-written rather than using that package's `sign`: it is an HMAC and a string
 * format, and owning it keeps the dependency out of production; the spec tests verify
 * our output with the official package.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Spec: secrets should be 24 to 64 bytes; we issue 32 (256 bits). */
const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface WebhookSignatureInput {
  /** `whsec_` + base64 key, as newWebhookSecret() issues. */
  secret: string;
  /** The event id (`evt_...`); the same on every retry so receivers can deduplicate. */
  id: string;
  /** When this attempt is sent: receivers refuse stale timestamps (replay protection). */
  timestamp: Date;
  /** The exact bytes sent as the request body. */
  body: string | Buffer;
}

/** A new webhook secret: `whsec_` + base64 of 32 random bytes. Shown once, stored sealed. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * The three Standard Webhooks headers: `webhook-signature` is
 * `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, the key being the
 * base64-decoded part of the secret after `whsec_`, the timestamp unix seconds.
 */
export function signWebhook({
  secret,
  id,
  timestamp,
  body,
}: WebhookSignatureInput): WebhookHeaders {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signature = createHmac('sha256', webhookKey(secret))
    .update(`${id}.${seconds}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': seconds,
    'webhook-signature': `v1,${signature}`,
  };
}

/**
 * Strict decoding: Buffer.from(x, 'base64') skips invalid characters silently, which would
 * sign with a key the receiver does not have. A bad secret is a bug or corrupt storage.
 */
function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : undefined;
  const key =
    encoded !== undefined && BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (!key || key.toString('base64') !== encoded) throw new Error('Malformed webhook secret');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new Error('Webhook secret must be 24 to 64 bytes');
  }
  return key;
}
