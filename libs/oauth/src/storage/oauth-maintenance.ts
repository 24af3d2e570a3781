import { Injectable, Module } from '@nestjs/common';
import { OAuthRecordsRepository } from './oauth-records.repository';

/**
 * Retention of `oauth_records` (expired codes, tokens, interactions, grants), for the
 * retention job, which runs without the api's module graph. Expired rows are already
 * unusable (lookups skip them); this only reclaims the space.
 */
@Injectable()
export class OAuthMaintenance {
  constructor(private readonly records: OAuthRecordsRepository) {}

  pruneExpiredBatch(now: Date, limit: number): Promise<number> {
    return this.records.deleteExpiredBefore(now, limit);
  }
}

@Module({
  providers: [OAuthRecordsRepository, OAuthMaintenance],
  exports: [OAuthMaintenance],
})
export class OAuthMaintenanceModule {}
