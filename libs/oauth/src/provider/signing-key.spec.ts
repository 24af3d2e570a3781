import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { signingJwk } from './signing-key';

describe('signingJwk', () => {
  const root = Buffer.alloc(32, 7);

  it('derives the same P-256 key from the same root, another from another root', () => {
    expect(signingJwk(root)).toEqual(signingJwk(Buffer.from(root)));
    expect(signingJwk(Buffer.alloc(32, 8)).d).not.toBe(signingJwk(root).d);
  });

  it('is a consistent key pair that signs and verifies (ES256)', () => {
    const jwk = signingJwk(root);
    const privateKey = createPrivateKey({ key: { ...jwk }, format: 'jwk' });
    const { d: _private, ...publicJwk } = jwk;
    const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
    const signature = sign('sha256', Buffer.from('payload'), privateKey);
    expect(verify('sha256', Buffer.from('payload'), publicKey, signature)).toBe(true);
    expect(jwk.kid).toMatch(/^[\w-]{16}$/);
  });
});
