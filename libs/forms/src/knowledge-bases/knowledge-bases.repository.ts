import { Injectable } from '@nestjs/common';
import { PrismaService, type KnowledgeBase, type Prisma } from '@intake/database';
import type { CreateKnowledgeBaseInput, UpdateKnowledgeBaseInput } from './knowledge-base.input';

@Injectable()
export class KnowledgeBasesRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(ownerId: string, input: CreateKnowledgeBaseInput): Promise<KnowledgeBase> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.knowledgeBase.create({ data: { ...input, userId: ownerId } }),
    );
  }

  list(ownerId: string): Promise<KnowledgeBase[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.knowledgeBase.findMany({
        where: { userId: ownerId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    );
  }

  find(ownerId: string, id: string): Promise<KnowledgeBase | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.knowledgeBase.findFirst({ where: { id, userId: ownerId } }),
    );
  }

  async update(
    ownerId: string,
    id: string,
    input: UpdateKnowledgeBaseInput,
  ): Promise<KnowledgeBase | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const { count } = await tx.knowledgeBase.updateMany({
        where: { id, userId: ownerId },
        data: input,
      });
      return count ? tx.knowledgeBase.findFirst({ where: { id, userId: ownerId } }) : null;
    });
  }

  /** Runs `beforeDelete` (detaching forms) and the deletion in one owner transaction. */
  delete<T>(
    ownerId: string,
    id: string,
    beforeDelete: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<[KnowledgeBase, T] | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const knowledgeBase = await tx.knowledgeBase.findFirst({ where: { id, userId: ownerId } });
      if (!knowledgeBase) return null;
      const result = await beforeDelete(tx);
      await tx.knowledgeBase.delete({ where: { id } });
      return [knowledgeBase, result];
    });
  }
}
