import { Injectable } from '@nestjs/common';
import { PrismaService, type ApiKey } from '@intake/database';

export interface NewApiKey {
  name: string;
  prefix: string;
  last4: string;
  secretHash: Buffer<ArrayBuffer>;
  scopes: string[];
  allowedIps: string[];
  expiresAt: Date | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(ownerId: string, key: NewApiKey): Promise<ApiKey> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.apiKey.create({ data: { ...key, userId: ownerId } }),
    );
  }

  listActive(ownerId: string): Promise<ApiKey[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.apiKey.findMany({
        where: { userId: ownerId, revokedAt: null },
        orderBy: { createdAt: 'desc' },
      }),
    );
  }

  /** Revokes and returns the key, or null when the owner has no such active key. */
  revoke(ownerId: string, keyId: string, now: Date): Promise<ApiKey | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id: keyId, userId: ownerId, revokedAt: null },
        data: { revokedAt: now },
      });
      return count ? tx.apiKey.findUnique({ where: { id: keyId } }) : null;
    });
  }

  /** System context: authentication knows only the hash of the presented secret. */
  findBySecretHash(secretHash: Buffer<ArrayBuffer>): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { secretHash } });
  }

  async markUsed(ownerId: string, keyId: string, now: Date): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.apiKey.updateMany({ where: { id: keyId }, data: { lastUsedAt: now } }),
    );
  }
}
