import { apiKeyHints, isWellFormedApiKey, newApiKeySecret } from './api-key-secret';

describe('API key secrets', () => {
  it('are ik_live_ plus 256 random bits in base64url, never repeating', () => {
    const secrets = new Set(Array.from({ length: 1000 }, newApiKeySecret));
    expect(secrets.size).toBe(1000);
    for (const secret of secrets) {
      expect(isWellFormedApiKey(secret)).toBe(true);
      expect(Buffer.from(secret.slice(8), 'base64url')).toHaveLength(32);
    }
  });

  it('reject anything else before any lookup', () => {
    for (const value of [
      '',
      'ik_live_',
      `ik_test_${'a'.repeat(43)}`,
      `ik_live_${'a'.repeat(42)}`,
      `ik_live_${'a'.repeat(42)}=`,
      `ik_live_${'a'.repeat(43)}\n`,
    ]) {
      expect(isWellFormedApiKey(value)).toBe(false);
    }
  });

  it('show only a recognisable prefix and the last four characters', () => {
    const secret = newApiKeySecret();
    expect(apiKeyHints(secret)).toEqual({ prefix: secret.slice(0, 12), last4: secret.slice(-4) });
  });
});
