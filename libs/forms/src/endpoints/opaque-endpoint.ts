import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig, deriveKey } from '@intake/config';
import { constantTimeEqual } from '@intake/common';

const ID_BYTES = 16;
const TAG_BYTES = 16;
const OPAQUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The opaque segment of a public endpoint, `/api/{opaque}/f/{slug}`: the form version's id
 * followed by a 128-bit HMAC of it, base64url (43 characters). Unguessable (the ids are
 * random and the tag needs the server key), tamper-evident (any changed character fails
 * the tag: 401 `invalid_token`, before any database access), and it names exactly one
 * version, so it can never be turned into access to another form.
 */
@Injectable()
export class OpaqueEndpoints {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = deriveKey(config.secretKey, 'form-endpoint');
  }

  encode(versionId: string): string {
    const id = uuidToBytes(versionId);
    return Buffer.concat([id, this.tag(id)]).toString('base64url');
  }

  /** The version id, or null when the segment is malformed or was not made by this server. */
  decode(opaque: string): string | null {
    if (!OPAQUE_PATTERN.test(opaque)) return null;
    const raw = Buffer.from(opaque, 'base64url');
    const id = raw.subarray(0, ID_BYTES);
    return constantTimeEqual(raw.subarray(ID_BYTES), this.tag(id)) ? bytesToUuid(id) : null;
  }

  private tag(id: Buffer): Buffer {
    return createHmac('sha256', this.key).update(id).digest().subarray(0, TAG_BYTES);
  }
}
