import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit random secret, base64url (43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a high-entropy secret. A plain hash suffices (no salt or stretching): the
 * inputs are 256-bit random values, so there is nothing to brute-force or precompute.
 */
export function sha256(value: string): Buffer<ArrayBuffer> {
  return Buffer.from(createHash('sha256').update(value, 'utf8').digest());
}

export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
