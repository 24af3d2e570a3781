import { Injectable } from '@nestjs/common';
import { PrismaService, type AuditEvent, type Prisma } from '@intake/database';
import { actionsMatching, type AuditLogFilters, type AuditLogQuery } from './audit-log.query';
import type { AuditEntry } from './audit.service';

export interface AuditCursor {
  createdAt: Date;
  id: string;
}

/** The owner and the filters; `from` inclusive, `to` exclusive. */
function whereOf(ownerId: string, filters: AuditLogFilters): Prisma.AuditEventWhereInput {
  return {
    userId: ownerId,
    ...(filters.action ? { action: { in: actionsMatching(filters.action) } } : {}),
    ...(filters.from || filters.to
      ? {
          createdAt: {
            ...(filters.from ? { gte: filters.from } : {}),
            ...(filters.to ? { lt: filters.to } : {}),
          },
        }
      : {}),
  };
}

/**
 * The table refuses UPDATE and DELETE unless the transaction opts in (see the init
 * migration); only retention pruning and account deletion do, and only through here.
 * `set_config(..., true)` is `SET LOCAL`: the opt-in ends with the transaction.
 */
async function optIntoMaintenance(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT set_config('intake.audit_maintenance', 'on', true)`;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Written in the system context: some entries have no owner yet (a failed login for an
   * unknown address), and an owner's entry must be recorded even when their own
   * transaction rolls back. Account deletion passes its transaction instead.
   */
  async insert(entry: AuditEntry, db: Prisma.TransactionClient = this.prisma): Promise<void> {
    await db.auditEvent.create({
      data: {
        userId: entry.actorId,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        ip: entry.client.ip,
        userAgent: entry.client.userAgent,
        requestId: entry.client.requestId,
        ...(entry.metadata ? { metadata: entry.metadata } : {}),
      },
    });
  }

  /** Newest first; RLS and the explicit filter both keep it to the owner's entries. */
  page(ownerId: string, query: AuditLogQuery): Promise<[AuditEvent[], number]> {
    const where = whereOf(ownerId, query);
    return this.prisma.asOwner(ownerId, (tx) =>
      Promise.all([
        tx.auditEvent.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: (query.page - 1) * query.page_size,
          take: query.page_size,
        }),
        tx.auditEvent.count({ where }),
      ]),
    );
  }

  /** Oldest first, after `cursor`: keyset batches for the exports. */
  batchAfter(
    ownerId: string,
    filters: AuditLogFilters,
    cursor: AuditCursor | null,
    size: number,
  ): Promise<AuditEvent[]> {
    const after: Prisma.AuditEventWhereInput = cursor
      ? {
          OR: [
            { createdAt: { gt: cursor.createdAt } },
            { createdAt: cursor.createdAt, id: { gt: cursor.id } },
          ],
        }
      : {};
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.auditEvent.findMany({
        where: { AND: [whereOf(ownerId, filters), after] },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: size,
      }),
    );
  }

  /**
   * Retention: at most `limit` entries older than `cutoff`, across every owner (system
   * context), in a short transaction of its own. SKIP LOCKED lets two pruning processes
   * share the work instead of queueing behind each other.
   */
  deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await optIntoMaintenance(tx);
      return tx.$executeRaw`
        DELETE FROM audit_events WHERE id IN (
          SELECT id FROM audit_events WHERE created_at < ${cutoff}::timestamptz
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )`;
    });
  }

  /** Account deletion, inside its transaction: every entry the owner is the actor of. */
  async deleteTrailOf(tx: Prisma.TransactionClient, ownerId: string): Promise<number> {
    await optIntoMaintenance(tx);
    const { count } = await tx.auditEvent.deleteMany({ where: { userId: ownerId } });
    return count;
  }
}
