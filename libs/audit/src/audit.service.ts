import { Injectable } from '@nestjs/common';
import { keysetBatches, pageMeta, type PageMeta } from '@intake/common';
import type { AuditEvent } from '@intake/database';
import type { AuditAction } from './audit-action';
import { toAuditEventOutput, type AuditEventOutput } from './audit-event.output';
import type { AuditLogFilters, AuditLogQuery } from './audit-log.query';
import { AuditRepository, type AuditCursor } from './audit.repository';

/** Where a request came from; the auth lib fills it from the HTTP request. */
export interface AuditClient {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  target?: { type: string; id: string };
  client: AuditClient;
  /** Small, non-secret facts (never tokens, passwords or submitted data). */
  metadata?: Record<string, string | number | boolean>;
}

/** Entries per keyset query of the exports. */
const EXPORT_BATCH_SIZE = 500;

/** The append-only audit trail (the table refuses UPDATE and DELETE; see the migration). */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  record(entry: AuditEntry): Promise<void> {
    return this.repository.insert(entry);
  }

  async list(
    ownerId: string,
    query: AuditLogQuery,
  ): Promise<{ data: AuditEventOutput[]; meta: PageMeta }> {
    const [events, total] = await this.repository.page(ownerId, query);
    return {
      data: events.map(toAuditEventOutput),
      meta: pageMeta(query.page, query.page_size, total),
    };
  }

  /** Every matching entry of the owner, oldest first, streamed in keyset batches. */
  async *events(ownerId: string, filters: AuditLogFilters = {}): AsyncGenerator<AuditEventOutput> {
    const events = keysetBatches<AuditEvent, AuditCursor>(
      (cursor, size) => this.repository.batchAfter(ownerId, filters, cursor, size),
      (event) => ({ createdAt: event.createdAt, id: event.id }),
      EXPORT_BATCH_SIZE,
    );
    for await (const event of events) yield toAuditEventOutput(event);
  }
}
