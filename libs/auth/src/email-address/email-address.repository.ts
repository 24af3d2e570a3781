import { Injectable } from '@nestjs/common';
import { PrismaService, type User } from '@intake/database';

/** The owner's address and its verification; every write is owner-scoped. */
@Injectable()
export class EmailAddressRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** True when this call verified the address (false: already verified, or no such user). */
  async markVerified(ownerId: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({
        where: { id: ownerId, emailVerifiedAt: null },
        data: { emailVerifiedAt: at },
      }),
    );
    return count === 1;
  }

  /** Moves the account to a confirmed address; a taken one fails on the unique index (P2002). */
  changeAddress(ownerId: string, email: string, at: Date): Promise<User> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.user.update({ where: { id: ownerId }, data: { email, emailVerifiedAt: at } }),
    );
  }
}
