import { Injectable } from '@nestjs/common';
import { PrismaService, type User } from '@intake/database';

@Injectable()
export class MagicLinksRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * An account made by its first magic link: the link proved the address, and there is no
   * password. System context: nobody owns anything yet. A concurrent sign-up for the same
   * address fails on the unique index (P2002).
   */
  createAccount(email: string, verifiedAt: Date): Promise<User> {
    return this.prisma.user.create({ data: { email, emailVerifiedAt: verifiedAt } });
  }
}
