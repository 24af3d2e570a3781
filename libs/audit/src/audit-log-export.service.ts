import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Attachment } from '@intake/common';
import type { AuditEventOutput } from './audit-event.output';
import type { AuditLogFilters } from './audit-log.query';
import { AuditService, type AuditClient } from './audit.service';

/** The owner's trail as NDJSON for a SIEM: one AuditEvent object per line, oldest first. */
@Injectable()
export class AuditLogExport {
  constructor(private readonly audit: AuditService) {}

  /** Records the export (with its filters) before any byte is sent. */
  async open(ownerId: string, filters: AuditLogFilters, client: AuditClient): Promise<Attachment> {
    await this.audit.record({
      actorId: ownerId,
      action: 'audit_log.exported',
      target: { type: 'user', id: ownerId },
      client,
      metadata: {
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.from ? { from: filters.from.toISOString() } : {}),
        ...(filters.to ? { to: filters.to.toISOString() } : {}),
      },
    });
    return {
      contentType: 'application/x-ndjson',
      filename: `intake-audit-log-${new Date().toISOString().slice(0, 10)}.ndjson`,
      writeTo: (destination) =>
        pipeline(Readable.from(ndjsonLines(this.audit.events(ownerId, filters))), destination),
    };
  }
}

async function* ndjsonLines(events: AsyncIterable<AuditEventOutput>): AsyncGenerator<string> {
  for await (const event of events) yield `${JSON.stringify(event)}\n`;
}
