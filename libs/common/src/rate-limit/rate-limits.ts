import { Injectable } from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';
import { RedisConnection } from '../redis/redis-connection';

export interface LimitPolicy {
  /** Namespace of the counters, e.g. `login-ip`. */
  name: string;
  points: number;
  durationSeconds: number;
  /**
   * While Redis is unreachable: `memory` (the default) counts in this process's memory, so
   * the limit holds per instance instead of globally; `refuse` answers 503 `unavailable`,
   * for the sign-in gates, whose budget must not multiply by the number of instances
   * (docs/adr/0021-failure-behaviour.md). Without Redis configured, both count in memory.
   */
  whenRedisDown?: 'memory' | 'refuse';
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
    /** A `refuse` policy on Redis: a failing store means Redis is unreachable. */
    private readonly refusesWithoutStore = false,
  ) {}

  async consume(key: string, points = 1): Promise<LimitResult> {
    try {
      return this.toResult(await this.limiter.consume(key, points), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return this.toResult(rejection, false);
      throw this.storeFailure(rejection);
    }
  }

  /** Returns a point, e.g. when an attempt that was counted up front turns out legitimate. */
  async reward(key: string, points = 1): Promise<void> {
    await this.limiter.reward(key, points).catch((error: unknown) => {
      throw this.storeFailure(error);
    });
  }

  /** The outage itself is logged once by RedisConnection, not per request. */
  private storeFailure(error: unknown): unknown {
    return this.refusesWithoutStore
      ? new AppError('unavailable', 'A dependency is unavailable; retry shortly')
      : error;
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
 * process's memory instead of failing requests, unless the policy says `refuse` (see
 * docs/adr/0004-rate-limiting.md and 0021).
 */
@Injectable()
export class RateLimits {
  private readonly limiters = new Map<string, Limiter>();

  constructor(private readonly redis: RedisConnection) {}

  for(policy: LimitPolicy): Limiter {
    const whenRedisDown = policy.whenRedisDown ?? 'memory';
    const id = `${policy.name}:${policy.points}:${policy.durationSeconds}:${whenRedisDown}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create(policy, whenRedisDown === 'refuse');
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private create({ name, points, durationSeconds }: LimitPolicy, refuse: boolean): Limiter {
    const options = { keyPrefix: `rl:${name}`, points, duration: durationSeconds };
    const memory = new RateLimiterMemory(options);
    if (!this.redis.client) return new Limiter(memory, points);
    const redis = new RateLimiterRedis({
      ...options,
      storeClient: this.redis.client,
      // Checked per call: no command waits for a Redis that is away, and the first call
      // after ioredis has reconnected counts in Redis again.
      rejectIfRedisNotReady: true,
      ...(refuse ? {} : { insuranceLimiter: memory }),
    });
    return new Limiter(redis, points, refuse);
  }
}
