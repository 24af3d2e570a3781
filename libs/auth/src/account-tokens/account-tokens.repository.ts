import { Injectable } from '@nestjs/common';
import { PrismaService, type AccountToken } from '@intake/database';
import type { AccountTokenPurpose } from './account-token-purpose';

export interface NewAccountToken {
  /** Null only for a sign-up link: an address with no account yet. */
  userId: string | null;
  purpose: AccountTokenPurpose;
  email: string;
  tokenHash: Buffer<ArrayBuffer>;
  browserNonceHash: Buffer<ArrayBuffer> | null;
  expiresAt: Date;
}

/**
 * `account_tokens`. Tokens of an account are written and revoked as that owner; using a
 * token runs in the system context, because the token is what says whose it is (like a
 * session cookie), and a sign-up link has no owner at all.
 */
@Injectable()
export class AccountTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(token: NewAccountToken): Promise<void> {
    const { userId } = token;
    if (userId === null) await this.prisma.accountToken.create({ data: token });
    else await this.prisma.asOwner(userId, (tx) => tx.accountToken.create({ data: token }));
  }

  /**
   * Marks the token used if it still can be, and returns it: one `UPDATE ... WHERE used_at
   * IS NULL AND expires_at > now RETURNING`, so of concurrent uses exactly one gets the row
   * (the others wait on its row lock, then no longer match). With `browserNonceHash`, only
   * the browser that asked for the link matches.
   */
  async claim(
    tokenHash: Buffer<ArrayBuffer>,
    purpose: AccountTokenPurpose,
    now: Date,
    browserNonceHash?: Buffer<ArrayBuffer>,
  ): Promise<AccountToken | null> {
    const [claimed] = await this.prisma.accountToken.updateManyAndReturn({
      where: {
        tokenHash,
        purpose,
        usedAt: null,
        expiresAt: { gt: now },
        ...(browserNonceHash === undefined ? {} : { browserNonceHash }),
      },
      data: { usedAt: now },
    });
    return claimed ?? null;
  }

  /** The token whatever its state, to tell why it cannot be used. */
  find(tokenHash: Buffer<ArrayBuffer>, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    return this.prisma.accountToken.findFirst({ where: { tokenHash, purpose } });
  }

  /**
   * Ends the owner's unused tokens of these purposes, and the sign-up links mailed to their
   * address before the account existed (those carry no owner, hence the system context).
   */
  async revoke(
    owner: { id: string; email: string },
    purposes: readonly AccountTokenPurpose[],
    now: Date,
  ): Promise<void> {
    const unused = { purpose: { in: [...purposes] }, usedAt: null };
    await this.prisma.asOwner(owner.id, (tx) =>
      tx.accountToken.updateMany({ where: { ...unused, userId: owner.id }, data: { usedAt: now } }),
    );
    await this.prisma.accountToken.updateMany({
      where: { ...unused, userId: null, email: owner.email },
      data: { usedAt: now },
    });
  }

  /** Retention: deletes up to `limit` tokens that expired before `cutoff`; how many. */
  deleteExpiredBefore(cutoff: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM account_tokens WHERE id IN (
        SELECT id FROM account_tokens WHERE expires_at < ${cutoff} LIMIT ${limit})`;
  }
}
