import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig, deriveKey } from '@intake/config';
import type { Prisma } from '@intake/database';
import { AuditRepository } from './audit.repository';
import type { AuditClient } from './audit.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The only two ways an audit entry ever goes away: retention (older than
 * AUDIT_RETENTION_DAYS) and account deletion. Both opt into the table's maintenance mode
 * for their own transaction only; every other DELETE or UPDATE is refused by the trigger.
 */
@Injectable()
export class AuditMaintenance {
  private readonly retentionMs: number;
  private readonly pseudonymKey: Buffer;

  constructor(
    private readonly repository: AuditRepository,
    config: AppConfig,
  ) {
    this.retentionMs = config.env.AUDIT_RETENTION_DAYS * DAY_MS;
    this.pseudonymKey = deriveKey(config.secretKey, 'audit-pseudonym');
  }

  /** One bounded batch of entries past AUDIT_RETENTION_DAYS at `now`; returns how many went. */
  pruneExpiredBatch(now: Date, limit: number): Promise<number> {
    return this.repository.deleteOlderThan(new Date(now.getTime() - this.retentionMs), limit);
  }

  /**
   * Account deletion, inside its transaction: the owner's entries go, and one `user.deleted`
   * entry stays to prove the deletion. It names nobody: no actor, no IP or user agent (the
   * deleted person's data too), only a pseudonym and the request id.
   */
  async recordDeletion(
    tx: Prisma.TransactionClient,
    ownerId: string,
    client: AuditClient,
  ): Promise<void> {
    const erased = await this.repository.deleteTrailOf(tx, ownerId);
    await this.repository.insert(
      {
        actorId: null,
        action: 'user.deleted',
        client: { ip: null, userAgent: null, requestId: client.requestId },
        metadata: { pseudonym: this.pseudonymOf(ownerId), entries_erased: erased },
      },
      tx,
    );
  }

  /**
   * HMAC-SHA256 of the user id under a key derived from SECRET_KEY. Without the key it
   * links to no one; with it, an operator asked whether account X was deleted recomputes it
   * from X's id and finds the entry. Never derived from the e-mail address.
   */
  pseudonymOf(ownerId: string): string {
    return createHmac('sha256', this.pseudonymKey).update(ownerId).digest('hex');
  }
}
