import { Injectable, Module } from '@nestjs/common';
import { AccountTokensRepository } from './account-tokens.repository';

/**
 * How long a token row outlives its expiry: long enough that a late click still gets
 * "this link has expired" rather than "unknown link", then it goes (a sign-up link's row
 * holds an address that may never have become an account).
 */
export const SPENT_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

/** Retention of `account_tokens`, for the retention job (which runs without the auth graph). */
@Injectable()
export class AccountTokensMaintenance {
  constructor(private readonly repository: AccountTokensRepository) {}

  pruneExpiredBatch(now: Date, limit: number): Promise<number> {
    return this.repository.deleteExpiredBefore(
      new Date(now.getTime() - SPENT_TOKEN_GRACE_MS),
      limit,
    );
  }
}

@Module({
  providers: [AccountTokensRepository, AccountTokensMaintenance],
  exports: [AccountTokensMaintenance],
})
export class AccountTokensMaintenanceModule {}
