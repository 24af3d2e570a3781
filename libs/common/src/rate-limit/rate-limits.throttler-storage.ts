import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { RateLimits } from './rate-limits';

/**
 * Lets @nestjs/throttler count with Intake's one engine (RateLimits), so route quotas and
 * security gates share the same Redis-or-memory counters and the same failure behaviour.
 */
@Injectable()
export class RateLimitsThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly rateLimits: RateLimits) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _blockMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const limiter = this.rateLimits.for({
      name: `throttle-${throttlerName}`,
      points: limit,
      durationSeconds: Math.ceil(ttlMs / 1000),
    });
    const result = await limiter.consume(key);
    return {
      totalHits: result.allowed ? limit - result.remaining : limit + 1,
      timeToExpire: result.resetSeconds,
      isBlocked: !result.allowed,
      timeToBlockExpire: result.allowed ? 0 : result.resetSeconds,
    };
  }
}
