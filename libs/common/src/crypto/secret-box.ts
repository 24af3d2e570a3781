import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig, type EncryptionKey } from '@intake/config';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/**
 * AES-256-GCM for secrets at rest (TOTP seeds, backup codes, webhook secrets) and for
 * sealing cookies. Output: `v1.<key id>.<base64url(iv | tag | ciphertext)>`; the key id
 * lets old values decrypt after `ENCRYPTION_KEYS` rotates. The associated data binds a
 * value to its purpose, so a ciphertext cannot be replayed into another field.
 */
@Injectable()
export class SecretBox {
  private readonly current: EncryptionKey;
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(config: AppConfig) {
    const [current] = config.encryptionKeys;
    if (!current) throw new Error('No encryption key configured');
    this.current = current;
    this.byId = new Map(config.encryptionKeys.map(({ id, key }) => [id, key]));
  }

  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    return `${VERSION}.${this.current.id}.${payload}`;
  }

  /** Returns null for anything tampered, truncated, for another purpose or an unknown key. */
  open(sealed: string, purpose: string): string | null {
    const [version, keyId, payload, ...rest] = sealed.split('.');
    const key = keyId === undefined ? undefined : this.byId.get(keyId);
    if (version !== VERSION || !key || payload === undefined || rest.length > 0) return null;
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}
