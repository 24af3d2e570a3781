import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { AuditService } from '@intake/audit';
import { AppError, sha256 } from '@intake/common';
import type { ApiKey } from '@intake/database';
import type { ClientContext } from '../client-context';
import type { Principal } from '../principal';
import { API_SCOPES, isApiScope } from '../scopes';
import { apiKeyHints, isWellFormedApiKey, newApiKeySecret } from './api-key-secret';
import { toApiKeyOutput, type ApiKeyOutput } from './api-key.output';
import { ApiKeysRepository } from './api-keys.repository';
import type { CreateApiKeyInput } from './create-api-key.input';

/** `last_used_at` precision: a write per key per minute, not per request. */
const MARK_USED_INTERVAL_MS = 60_000;

function ipAllowed(ip: string | undefined, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true;
  if (!ip || !ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return allowlist.some((entry) => {
    const [range, bits] = entry.includes('/')
      ? ipaddr.parseCIDR(entry)
      : [ipaddr.process(entry), null];
    if (range.kind() !== address.kind()) return false;
    return bits === null
      ? range.toString() === address.toString()
      : address.match([range, bits] as [typeof address, number]);
  });
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates a key; the secret is returned here once and stored only as its SHA-256. */
  async create(
    ownerId: string,
    input: CreateApiKeyInput,
    client: ClientContext,
  ): Promise<{ apiKey: ApiKeyOutput; secret: string }> {
    const secret = newApiKeySecret();
    const key = await this.repository.create(ownerId, {
      name: input.name,
      ...apiKeyHints(secret),
      secretHash: sha256(secret),
      scopes: input.scopes ?? [...API_SCOPES],
      allowedIps: input.allowed_ips ?? [],
      expiresAt: input.expires_at ?? null,
    });
    await this.audit.record({
      actorId: ownerId,
      action: 'api_key.created',
      target: { type: 'api_key', id: key.id },
      client,
    });
    return { apiKey: toApiKeyOutput(key), secret };
  }

  async list(ownerId: string): Promise<ApiKeyOutput[]> {
    return (await this.repository.listActive(ownerId)).map(toApiKeyOutput);
  }

  async revoke(ownerId: string, keyId: string, client: ClientContext): Promise<ApiKeyOutput> {
    const key = await this.repository.revoke(ownerId, keyId, new Date());
    if (!key) throw AppError.notFound('API key');
    await this.audit.record({
      actorId: ownerId,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: key.id },
      client,
    });
    return toApiKeyOutput(key);
  }

  /** Resolves a bearer secret to its principal; any reason to refuse is the same 401. */
  async authenticate(
    secret: string,
    ip: string | undefined,
  ): Promise<Extract<Principal, { kind: 'api_key' }>> {
    const key = isWellFormedApiKey(secret)
      ? await this.repository.findBySecretHash(sha256(secret))
      : null;
    const now = new Date();
    if (!key || !this.usable(key, now) || !ipAllowed(ip, key.allowedIps)) {
      throw new AppError('invalid_token', 'API key is invalid, expired or revoked', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > MARK_USED_INTERVAL_MS) {
      await this.repository.markUsed(key.userId, key.id, now);
    }
    return {
      kind: 'api_key',
      userId: key.userId,
      apiKeyId: key.id,
      scopes: key.scopes.filter(isApiScope),
    };
  }

  private usable(key: ApiKey, now: Date): boolean {
    return key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
  }
}
