import { createECDH, createHash } from 'node:crypto';
import { deriveKey } from '@intake/config';

/** A P-256 private key as a JWK (RFC 7517), the form oidc-provider's `jwks` takes. */
export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  alg: 'ES256';
  use: 'sig';
  kid: string;
  d: string;
  x: string;
  y: string;
}

/**
 * The key that signs ID tokens (only issued to a client asking for `openid`; MCP access
 * tokens are opaque). Derived from SECRET_KEY so that every instance of a deployment, and
 * every restart, signs with the same key without storing one; rotating SECRET_KEY rotates it.
 * A 256-bit HKDF output is a valid P-256 scalar except with probability about 2^-32.
 */
export function signingJwk(secretKey: Buffer): SigningJwk {
  const privateKey = deriveKey(secretKey, 'oauth-id-token-signing-key:p256');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  const publicKey = ecdh.getPublicKey(); // 0x04 | x (32 bytes) | y (32 bytes)
  return {
    kty: 'EC',
    crv: 'P-256',
    alg: 'ES256',
    use: 'sig',
    kid: createHash('sha256').update(publicKey).digest('base64url').slice(0, 16),
    d: privateKey.toString('base64url'),
    x: publicKey.subarray(1, 33).toString('base64url'),
    y: publicKey.subarray(33).toString('base64url'),
  };
}
