import { Injectable } from '@nestjs/common';
import { PrismaService, type User } from '@intake/database';

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

  findById(ownerId: string): Promise<User | null> {
    return this.prisma.asOwner(ownerId, (tx) => tx.user.findUnique({ where: { id: ownerId } }));
  }

  async setPasswordHash(ownerId: string, passwordHash: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({ where: { id: ownerId }, data: { passwordHash } }),
    );
  }
}
