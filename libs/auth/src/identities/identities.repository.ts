import { Injectable } from '@nestjs/common';
import { PrismaService, type Identity, type User } from '@intake/database';
import type { SocialProvider } from '../social/social-provider';

export interface NewIdentity {
  provider: SocialProvider;
  subject: string;
  /** The verified address the provider vouched for at link time. */
  email: string;
}

export type UnlinkResult =
  | { status: 'unlinked'; identity: Identity }
  | { status: 'not_found' }
  | { status: 'last_sign_in_method' };

/** Linked Google and GitHub accounts. Writes for an owner are owner-scoped. */
@Injectable()
export class IdentitiesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Whom a provider account signs in as; before anyone is signed in (system context). */
  findBySubject(provider: SocialProvider, subject: string): Promise<Identity | null> {
    return this.prisma.identity.findUnique({ where: { provider_subject: { provider, subject } } });
  }

  /**
   * An account made by its first Google or GitHub sign-in: the provider proved the address,
   * and there is no password. One transaction, so neither the user nor the identity exists
   * without the other; a concurrent sign-up for the address or the same provider account
   * fails on a unique index (P2002). System context: nobody owns anything yet.
   */
  createAccount(identity: NewIdentity, at: Date): Promise<{ user: User; identity: Identity }> {
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: identity.email, emailVerifiedAt: at } });
      const created = await tx.identity.create({
        data: { ...identity, userId: user.id, lastUsedAt: at },
      });
      return { user, identity: created };
    });
  }

  /** Fails on a unique index (P2002) when the provider account or the provider is taken. */
  link(ownerId: string, identity: NewIdentity, lastUsedAt: Date | null): Promise<Identity> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.identity.create({ data: { ...identity, userId: ownerId, lastUsedAt } }),
    );
  }

  async touch(ownerId: string, identityId: string, at: Date): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.identity.updateMany({
        where: { id: identityId, userId: ownerId },
        data: { lastUsedAt: at },
      }),
    );
  }

  list(ownerId: string): Promise<Identity[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.identity.findMany({ where: { userId: ownerId }, orderBy: { createdAt: 'asc' } }),
    );
  }

  /**
   * Removes the owner's identity of `provider` unless it is their last way to sign in (no
   * password, no other identity). The owner's row is locked first, so two unlinks at once
   * cannot each count the other's identity as the one that remains.
   */
  unlinkUnlessLast(ownerId: string, provider: SocialProvider): Promise<UnlinkResult> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const [owner] = await tx.$queryRaw<{ has_password: boolean }[]>`
        SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = ${ownerId}::uuid FOR UPDATE`;
      const identities = await tx.identity.findMany({ where: { userId: ownerId } });
      const identity = identities.find((candidate) => candidate.provider === provider);
      if (!owner || !identity) return { status: 'not_found' };
      if (!owner.has_password && identities.length === 1) return { status: 'last_sign_in_method' };
      await tx.identity.delete({ where: { id: identity.id } });
      return { status: 'unlinked', identity };
    });
  }
}
