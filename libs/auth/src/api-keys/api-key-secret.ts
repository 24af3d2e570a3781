import { randomToken } from '@intake/common';

export const API_KEY_PREFIX = 'ik_live_';
const API_KEY_PATTERN = /^ik_live_[A-Za-z0-9_-]{43}$/;

/** A new key: `ik_live_` + 256 random bits in base64url (43 characters). */
export function newApiKeySecret(): string {
  return API_KEY_PREFIX + randomToken(32);
}

export function isWellFormedApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** What a listing shows: enough to recognise a key, never enough to use it. */
export function apiKeyHints(secret: string): { prefix: string; last4: string } {
  return { prefix: secret.slice(0, API_KEY_PREFIX.length + 4), last4: secret.slice(-4) };
}
