import { Injectable } from '@nestjs/common';
import { PrismaService, type AuditEvent } from '@intake/database';
import type { AuditLogQuery } from './audit-log.query';
import type { AuditEntry } from './audit.service';

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Written in the system context: some entries have no owner yet (a failed login for an
   * unknown address), and an owner's entry must be recorded even when their own
   * transaction rolls back.
   */
  async insert(entry: AuditEntry): Promise<void> {
    await this.prisma.auditEvent.create({
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
    const where = { userId: ownerId, ...(query.action ? { action: query.action } : {}) };
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
}
