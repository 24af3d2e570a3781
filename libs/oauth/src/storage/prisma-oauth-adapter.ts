import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { SecretBox } from '@intake/common';
import type { OAuthRecordsRepository } from './oauth-records.repository';

/** The SecretBox purpose of a record's payload: one per provider model (also key rotation). */
export function oauthRecordPurpose(kind: string): string {
  return `oauth-record:${kind}`;
}

/**
 * oidc-provider's storage contract (its example/my_adapter.js) over `oauth_records`, one
 * instance per provider model. Ids are looked up by SHA-256 (codes, tokens, session and
 * interaction ids are bearer values); payloads are sealed whole, because several repeat a
 * secret (a token's `jti`, an interaction's session cookie, a client's secret). Columns
 * beside the payload carry only what queries need: owner, client, grant, expiry.
 */
export class PrismaOAuthAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly records: OAuthRecordsRepository,
    private readonly secrets: SecretBox,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.records.upsert(this.kind, id, {
      sealedPayload: this.secrets.seal(JSON.stringify(payload), this.purpose),
      userId: payload.accountId ?? null,
      clientId: payload.clientId ?? (this.kind === 'Client' ? payload.client_id : null) ?? null,
      grantId: this.kind === 'Grant' ? id : (payload.grantId ?? null),
      uid: this.kind === 'Session' ? (payload.uid ?? null) : null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.records.find(this.kind, id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.records.findByUid(this.kind, uid));
  }

  /** The device flow is off: nothing is ever stored by user code. */
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async consume(id: string): Promise<void> {
    await this.records.consume(this.kind, id);
  }

  async destroy(id: string): Promise<void> {
    await this.records.destroy(this.kind, id);
  }

  /** This model's artefacts of a grant; the provider calls it per token model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.records.deleteByGrant(this.kind, grantId);
  }

  private get purpose(): string {
    return oauthRecordPurpose(this.kind);
  }

  private payloadOf(
    row: { sealedPayload: string; consumedAt: Date | null } | null,
  ): AdapterPayload | undefined {
    const json = row && this.secrets.open(row.sealedPayload, this.purpose);
    if (!row || json === null) return undefined;
    const payload = JSON.parse(json) as AdapterPayload;
    // The provider reads `consumed` as "this code or refresh token was already used".
    return row.consumedAt
      ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) }
      : payload;
  }
}
