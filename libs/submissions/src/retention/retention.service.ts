import { forwardRef, Inject, Injectable, Logger } from '@nestjs/common';
import { AuditMaintenance } from '@intake/audit';
import { AccountTokensMaintenance } from '@intake/auth';
import { OAuthMaintenance } from '@intake/oauth';
import { RetentionRepository } from './retention.repository';

/** Rows per DELETE statement. */
export const RETENTION_BATCH_SIZE = 1_000;

/** API.md promises replays for at least 24 hours; keys are kept exactly that long. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface PruneResult {
  submissions: number;
  idempotencyKeys: number;
  auditEvents: number;
  accountTokens: number;
  oauthRecords: number;
}

/**
 * Enforces each form's `retention_days`, the idempotency window, the audit trail's
 * AUDIT_RETENTION_DAYS and the end of e-mailed tokens and of OAuth codes, tokens and
 * grants: one job, so one schedule runs every kind of pruning.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repository: RetentionRepository,
    private readonly audit: AuditMaintenance,
    private readonly accountTokens: AccountTokensMaintenance,
    // @intake/oauth reaches back to this lib (through destinations): resolve lazily.
    @Inject(forwardRef(() => OAuthMaintenance)) private readonly oauth: OAuthMaintenance,
  ) {}

  async pruneExpired(now: Date = new Date()): Promise<PruneResult> {
    const submissions = await drain((limit) =>
      this.repository.deleteExpiredSubmissions(now, limit),
    );
    const keyCutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS);
    const idempotencyKeys = await drain((limit) =>
      this.repository.deleteIdempotencyKeysBefore(keyCutoff, limit),
    );
    const auditEvents = await drain((limit) => this.audit.pruneExpiredBatch(now, limit));
    const accountTokens = await drain((limit) => this.accountTokens.pruneExpiredBatch(now, limit));
    const oauthRecords = await drain((limit) => this.oauth.pruneExpiredBatch(now, limit));
    if (submissions + idempotencyKeys + auditEvents + accountTokens + oauthRecords > 0) {
      this.logger.log({
        msg: 'Pruned expired rows',
        submissions,
        idempotency_keys: idempotencyKeys,
        audit_events: auditEvents,
        account_tokens: accountTokens,
        oauth_records: oauthRecords,
      });
    }
    return { submissions, idempotencyKeys, auditEvents, accountTokens, oauthRecords };
  }
}

/** Repeats a bounded delete until a statement comes back short: nothing left (or locked elsewhere). */
async function drain(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(RETENTION_BATCH_SIZE);
    total += deleted;
    if (deleted < RETENTION_BATCH_SIZE) return total;
  }
}
