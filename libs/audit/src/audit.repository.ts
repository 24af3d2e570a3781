import { Injectable } from '@nestjs/common';
import { PrismaService } from '@intake/database';
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
}
