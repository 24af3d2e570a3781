import { Injectable } from '@nestjs/common';
import { PrismaService, type Prisma } from '@intake/database';
import type { DeliveryRecord } from './delivery.output';

const WITH_ATTEMPTS = {
  deliveryAttempts: { orderBy: { attempt: 'asc' } },
} satisfies Prisma.DeliveryInclude;

export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

/** The owner's delivery log; every call runs as that owner (row-level security). */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first. */
  page(
    ownerId: string,
    destinationId: string,
    page: number,
    pageSize: number,
  ): Promise<[DeliveryRecord[], number]> {
    const where = { userId: ownerId, destinationId };
    return this.prisma.asOwner(ownerId, (tx) =>
      Promise.all([
        tx.delivery.findMany({
          where,
          include: WITH_ATTEMPTS,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: (page - 1) * pageSize,
          take: pageSize,
        }),
        tx.delivery.count({ where }),
      ]),
    );
  }

  /** Oldest first, after `cursor`: keyset batches for the account export. */
  batchAfter(
    ownerId: string,
    destinationId: string,
    cursor: DeliveryCursor | null,
    size: number,
  ): Promise<DeliveryRecord[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.delivery.findMany({
        where: {
          userId: ownerId,
          destinationId,
          ...(cursor
            ? {
                OR: [
                  { createdAt: { gt: cursor.createdAt } },
                  { createdAt: cursor.createdAt, id: { gt: cursor.id } },
                ],
              }
            : {}),
        },
        include: WITH_ATTEMPTS,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: size,
      }),
    );
  }

  find(ownerId: string, destinationId: string, deliveryId: string): Promise<DeliveryRecord | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.delivery.findFirst({
        where: { id: deliveryId, destinationId, userId: ownerId },
        include: WITH_ATTEMPTS,
      }),
    );
  }

  /**
   * Back to pending, due now, with a fresh round of attempts; the attempt log and event id
   * stay. Only a finished delivery is reset (a pending one is already on its way): null
   * when it was pending.
   */
  resetForRedelivery(ownerId: string, deliveryId: string): Promise<DeliveryRecord | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const { count } = await tx.delivery.updateMany({
        where: { id: deliveryId, userId: ownerId, status: { not: 'pending' } },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null },
      });
      if (count === 0) return null;
      return tx.delivery.findFirst({ where: { id: deliveryId }, include: WITH_ATTEMPTS });
    });
  }
}
