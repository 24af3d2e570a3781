import { Injectable } from '@nestjs/common';
import { PrismaService, type OAuthConnection } from '@intake/database';

export interface OAuthApproval {
  clientId: string;
  clientName: string;
  clientUri: string | null;
  redirectHost: string;
  scopes: string[];
}

/** The owner's connected clients, and their revocation. Owner-scoped throughout. */
@Injectable()
export class OAuthConnectionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(ownerId: string): Promise<OAuthConnection[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.oAuthConnection.findMany({ where: { userId: ownerId }, orderBy: { createdAt: 'asc' } }),
    );
  }

  /**
   * Records an approval. A client approved again keeps its row: the scopes add up (every
   * earlier grant stays valid until revoked) and the details shown are the latest.
   */
  recordApproval(
    ownerId: string,
    approval: OAuthApproval,
  ): Promise<{ connection: OAuthConnection; created: boolean }> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const existing = await tx.oAuthConnection.findUnique({
        where: { userId_clientId: { userId: ownerId, clientId: approval.clientId } },
      });
      if (!existing) {
        const connection = await tx.oAuthConnection.create({
          data: { ...approval, userId: ownerId },
        });
        return { connection, created: true };
      }
      const connection = await tx.oAuthConnection.update({
        where: { id: existing.id },
        data: { ...approval, scopes: [...new Set([...existing.scopes, ...approval.scopes])] },
      });
      return { connection, created: false };
    });
  }

  /**
   * Deletes the connection and, in the same transaction, every grant, code and token the
   * client holds for the owner: the next request with one of its tokens finds nothing.
   */
  revoke(ownerId: string, connectionId: string): Promise<OAuthConnection | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const connection = await tx.oAuthConnection.findFirst({
        where: { id: connectionId, userId: ownerId },
      });
      if (!connection) return null;
      await tx.oAuthRecord.deleteMany({
        where: { userId: ownerId, clientId: connection.clientId },
      });
      await tx.oAuthConnection.delete({ where: { id: connection.id } });
      return connection;
    });
  }

  /** Marks the client as used, at most once per `interval`, so requests rarely write. */
  async touch(ownerId: string, clientId: string, now: Date, intervalMs: number): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.oAuthConnection.updateMany({
        where: {
          userId: ownerId,
          clientId,
          OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - intervalMs) } }],
        },
        data: { lastUsedAt: now },
      }),
    );
  }
}
