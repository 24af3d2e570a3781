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

  async revoke(ownerId: string, sessionId: string, now: Date): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.session.updateMany({
        where: { id: sessionId, userId: ownerId, revokedAt: null },
        data: { revokedAt: now },
      }),
    );
  }
}
