import { randomBytes } from 'node:crypto';

/** Attempts per delivery (and per redelivery); API.md: "retries with backoff". */
export const MAX_DELIVERY_ATTEMPTS = 3;

/** Consecutive failed deliveries after which a destination is disabled (API.md). */
export const DISABLE_AFTER_FAILED_DELIVERIES = 3;

/** Waits before the 2nd and 3rd attempts: a blip is retried soon, an outage a bit later. */
const RETRY_DELAYS_MS = [10_000, 60_000] as const;

/**
 * The wait before attempt `failedAttempt + 1`, with ±25 % jitter so that deliveries failing
 * together (one destination down, many submissions) do not retry in lockstep.
 */
export function deliveryRetryDelayMs(
  failedAttempt: number,
  random: () => number = Math.random,
): number {
  const base =
    RETRY_DELAYS_MS[Math.min(failedAttempt, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
  return Math.round(base * (0.75 + random() / 2));
}

/**
 * The event id, also the `webhook-id`: the same on every attempt and redelivery of one
 * delivery, so a receiver can de-duplicate. 128 random bits.
 */
export function newEventId(): string {
  return `evt_${randomBytes(16).toString('base64url')}`;
}
