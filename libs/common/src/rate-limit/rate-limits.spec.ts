import { loadConfig } from '@intake/config';
import { AppError } from '../errors/app-error';
import { RedisConnection } from '../redis/redis-connection';
import { RateLimits } from './rate-limits';

/**
 * While Redis is unreachable (here: configured on a port nothing listens on), a limit either
 * counts in this process's memory or refuses with 503, as its policy says (ADR 0021).
 */
describe('RateLimits without a reachable Redis', () => {
  let redis: RedisConnection;
  let limits: RateLimits;

  beforeAll(() => {
    redis = new RedisConnection(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }),
    );
    limits = new RateLimits(redis);
  });
  afterAll(() => redis.onApplicationShutdown());

  const policy = { name: 'spec', points: 2, durationSeconds: 60 };

  it('counts in memory by default, so the limit still holds per instance', async () => {
    const limiter = limits.for(policy);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await limiter.consume('ip')).allowed);
    expect(results).toEqual([true, true, false]);
  });

  it('refuses with 503 unavailable when the policy says so, and on give-back too', async () => {
    const limiter = limits.for({ ...policy, whenRedisDown: 'refuse' });
    const refusal = await limiter.consume('ip').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'unavailable', status: 503 });
    await expect(limiter.reward('ip')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
