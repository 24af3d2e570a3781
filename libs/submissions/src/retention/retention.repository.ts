import { Injectable } from '@nestjs/common';
import { PrismaService } from '@intake/database';

/**
 * Deletes expired rows across every owner, so it runs in the system context (plain client,
 * no `asOwner`). Each call is one statement touching at most `limit` rows: short
 * transactions and short lock times, however much has piled up. SKIP LOCKED lets two
 * pruning processes share the work instead of queueing behind each other.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Submissions older than their form's `retention_days`; forms without one keep everything. */
  deleteExpiredSubmissions(now: Date, limit: number): Promise<number> {
    // Jobs go with their submission (ON DELETE CASCADE).
    return this.prisma.$executeRaw`
      DELETE FROM submissions WHERE id IN (
        SELECT s.id FROM submissions s JOIN forms f ON f.id = s.form_id
        WHERE f.retention_days IS NOT NULL
          AND s.created_at < ${now}::timestamptz - make_interval(days => f.retention_days)
        LIMIT ${limit}
        FOR UPDATE OF s SKIP LOCKED
      )`;
  }

  deleteIdempotencyKeysBefore(cutoff: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM idempotency_keys WHERE (form_id, key) IN (
        SELECT form_id, key FROM idempotency_keys
        WHERE created_at < ${cutoff}::timestamptz
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )`;
  }
}
