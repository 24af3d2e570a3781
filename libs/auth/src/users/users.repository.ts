import { Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type User } from '@intake/database';

/**
 * How long an account deletion's transaction may run: its statements are each bounded (the
 * statement timeout), but a large account takes many of them.
 */
const ACCOUNT_DELETION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Users are looked up by e-mail before anyone is signed in, so these queries run in the
 * system context; reads of a signed-in user's own row go through `asOwner`.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  create(email: string, passwordHash: string): Promise<User> {
    return this.prisma.user.create({ data: { email, passwordHash } });
  }

  /**
   * An account whose address a link has just proven, with no password (magic-link sign-up).
   * A concurrent sign-up for the same address fails on the unique index (P2002).
   */
  createVerified(email: string, verifiedAt: Date): Promise<User> {
    return this.prisma.user.create({ data: { email, emailVerifiedAt: verifiedAt } });
  }

  findById(ownerId: string): Promise<User | null> {
    return this.prisma.asOwner(ownerId, (tx) => tx.user.findUnique({ where: { id: ownerId } }));
  }

  async setPasswordHash(ownerId: string, passwordHash: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({ where: { id: ownerId }, data: { passwordHash } }),
    );
  }

  /**
   * Deletes the account in one transaction, after `alongside` has done the other features'
   * part in it; every owned table cascades from the users row. System context: the audit
   * trail's maintenance mode needs rights the tenant role does not have. The row is locked
   * first, so of two concurrent deletions the second finds nothing and does nothing (false).
   */
  deleteAccount(
    ownerId: string,
    alongside: (tx: Prisma.TransactionClient) => Promise<void>,
  ): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        const [owner] = await tx.$queryRaw<{ email: string }[]>`
          SELECT email FROM users WHERE id = ${ownerId}::uuid FOR UPDATE`;
        if (!owner) return false;
        await alongside(tx);
        // Tokens mailed to the address before the account existed (the magic link that
        // created it) carry no user id, so the cascade would leave the address behind.
        await tx.accountToken.deleteMany({ where: { userId: null, email: owner.email } });
        await tx.user.delete({ where: { id: ownerId } });
        return true;
      },
      { timeout: ACCOUNT_DELETION_TIMEOUT_MS },
    );
  }
}
