import { Injectable } from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { RedisConnection } from '../redis/redis.module';

export interface LimitPolicy {
  /** Namespace of the counters, e.g. `login-ip`. */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (for `RateLimit-Reset` and `Retry-After`). */
  resetSeconds: number;
}

/** One counter family: consume a point per event, optionally give it back. */
export class Limiter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly points: number,
  ) {}

  async consume(key: string, points = 1): Promise<LimitResult> {
    try {
      return this.toResult(await this.limiter.consume(key, points), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.toResult(rejection, false);
      throw rejection;
    }
  }

  /** Returns a point, e.g. when an attempt that was counted up front turns out legitimate. */
  async reward(key: string, points = 1): Promise<void> {
    await this.limiter.reward(key, points);
  }

  private toResult(res: RateLimiterRes, allowed: boolean): LimitResult {
    return {
      allowed,
      limit: this.points,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }
}

/**
 * The one counting engine behind every limit in Intake (rate-limiter-flexible): atomic
 * Lua increments in Redis when `REDIS_URL` is set, so limits hold across instances;
 * process memory otherwise. If Redis stops answering, counting falls back to this
 * process's memory instead of failing requests (see docs/adr/0004-rate-limiting.md).
 */
@Injectable()
export class RateLimits {
  private readonly limiters = new Map<string, Limiter>();

  constructor(private readonly redis: RedisConnection) {}

  for(policy: LimitPolicy): Limiter {
    const id = `${policy.name}:${policy.points}:${policy.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Limiter(this.create(policy), policy.points);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private create({ name, points, durationSeconds }: LimitPolicy): RateLimiterAbstract {
    const options = { keyPrefix: `rl:${name}`, points, duration: durationSeconds };
    const memory = new RateLimiterMemory(options);
    if (!this.redis.client) return memory;
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis.client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }
}
