import { Injectable } from '@nestjs/common';
import { PrismaService, type Destination } from '@intake/database';
import type { DestinationKind } from './create-destination.input';

export interface NewDestination {
  id: string;
  formId: string;
  type: DestinationKind;
  name: string;
  url: string;
  includeSpam: boolean;
  secretSealed: string | null;
}

/** The owner's destinations; every call runs as that owner (row-level security). */
@Injectable()
export class DestinationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(ownerId: string, formId: string): Promise<Destination[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.findMany({
        where: { userId: ownerId, formId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    );
  }

  count(ownerId: string, formId: string): Promise<number> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.count({ where: { userId: ownerId, formId } }),
    );
  }

  find(ownerId: string, formId: string, destinationId: string): Promise<Destination | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.findFirst({ where: { id: destinationId, formId, userId: ownerId } }),
    );
  }

  create(ownerId: string, data: NewDestination): Promise<Destination> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.create({ data: { ...data, userId: ownerId } }),
    );
  }

  /** Its deliveries and their attempts go with it (ON DELETE CASCADE). */
  async delete(ownerId: string, destinationId: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.deleteMany({ where: { id: destinationId, userId: ownerId } }),
    );
  }

  /** Re-enabling starts a fresh count: the owner says the target is fixed. */
  enable(ownerId: string, destinationId: string): Promise<Destination> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.update({
        where: { id: destinationId, userId: ownerId },
        data: { enabled: true, failureCount: 0, disabledAt: null },
      }),
    );
  }

  replaceSecret(ownerId: string, destinationId: string, sealed: string): Promise<Destination> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.destination.update({
        where: { id: destinationId, userId: ownerId },
        data: { secretSealed: sealed },
      }),
    );
  }
}
