import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig, type EncryptionKey } from '@intake/config';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/** What `reseal` did with one value; `unreadable` values are left for the caller to report. */
export type ResealOutcome =
  { kind: 'current' } | { kind: 'unreadable' } | { kind: 'resealed'; sealed: string };

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

  /** The id of the key that seals new values (the first of ENCRYPTION_KEYS). */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Whether ENCRYPTION_KEYS (or the derived `k0`) holds this key id. */
  hasKey(keyId: string): boolean {
    return this.byId.has(keyId);
  }

  /** The key id a sealed value names, or null when it is not a SecretBox value at all. */
  keyIdOf(sealed: string): string | null {
    return parse(sealed)?.keyId ?? null;
  }

  /**
   * Moves a value to the current key. A value already under it is not opened (nothing to
   * do); one that does not open (unknown key, tampered, another purpose) is never altered.
   */
  reseal(sealed: string, purpose: string): ResealOutcome {
    if (this.keyIdOf(sealed) === this.current.id) return { kind: 'current' };
    const plaintext = this.open(sealed, purpose);
    return plaintext === null
      ? { kind: 'unreadable' }
      : { kind: 'resealed', sealed: this.seal(plaintext, purpose) };
  }

  /** Returns null for anything tampered, truncated, for another purpose or an unknown key. */
  open(sealed: string, purpose: string): string | null {
    const parts = parse(sealed);
    const key = parts && this.byId.get(parts.keyId);
    if (!parts || !key) return null;
    const raw = Buffer.from(parts.payload, 'base64url');
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

function parse(sealed: string): { keyId: string; payload: string } | null {
  const [version, keyId, payload, ...rest] = sealed.split('.');
  if (version !== VERSION || keyId === undefined || payload === undefined || rest.length > 0) {
    return null;
  }
  return { keyId, payload };
}
