import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@intake/config';

/**
 * The shared Redis connection, or null in the embedded default (everything that would use
 * it falls back to process memory). Keys are namespaced by `REDIS_KEY_PREFIX`.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;
  readonly keyPrefix: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const url = config.env.REDIS_URL;
    this.keyPrefix = config.env.REDIS_KEY_PREFIX;
    this.client = url
      ? new Redis(url, {
          keyPrefix: config.env.REDIS_KEY_PREFIX,
          // Fail a command fast instead of queueing it while Redis is away; callers fall back.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        })
      : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
