import { Injectable } from '@nestjs/common';
import { PrismaService, type Session } from '@intake/database';

export interface NewSession {
  userId: string;
  tokenHash: Buffer<ArrayBuffer>;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(session: NewSession): Promise<Session> {
    return this.prisma.asOwner(session.userId, (tx) => tx.session.create({ data: session }));
  }

  /** System context: the hash is the only thing known about the caller yet. */
  findActiveByTokenHash(tokenHash: Buffer<ArrayBuffer>, now: Date): Promise<Session | null> {
    return this.prisma.session.findFirst({
      where: { tokenHash, revokedAt: null, expiresAt: { gt: now } },
    });
  }

  async touch(ownerId: string, sessionId: string, now: Date): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } }),
    );
  }

  /** True when an active session of the owner was revoked. */
  async revoke(ownerId: string, sessionId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.asOwner(ownerId, (tx) =>
      tx.session.updateMany({
        where: { id: sessionId, userId: ownerId, revokedAt: null },
        data: { revokedAt: now },
      }),
    );
    return count > 0;
  }

  async setAuthenticatedAt(ownerId: string, sessionId: string, at: Date): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.session.updateMany({ where: { id: sessionId }, data: { authenticatedAt: at } }),
    );
  }

  /** Revokes every active session of the owner except `keepId` (if any); returns their ids. */
  async revokeAllExcept(ownerId: string, keepId: string | null, now: Date): Promise<string[]> {
    const revoked = await this.prisma.asOwner(ownerId, (tx) =>
      tx.session.updateManyAndReturn({
        where: {
          userId: ownerId,
          revokedAt: null,
          ...(keepId === null ? {} : { id: { not: keepId } }),
        },
        data: { revokedAt: now },
        select: { id: true },
      }),
    );
    return revoked.map((session) => session.id);
  }

  /** Sessions that can still be used, most recently active first. */
  listActive(ownerId: string, now: Date): Promise<Session[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.session.findMany({
        where: { userId: ownerId, revokedAt: null, expiresAt: { gt: now } },
        orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
      }),
    );
  }
}
