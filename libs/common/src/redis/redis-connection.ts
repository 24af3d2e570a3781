import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
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
  private readonly logger = new Logger(RedisConnection.name);
  private down = false;

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
    this.client?.on('error', (error: Error) => this.outage(error));
    this.client?.on('ready', () => this.recovered());
  }

  /**
   * ioredis reconnects by itself and emits an error per failed attempt: log the outage once
   * (what degrades is in docs/adr/0021-failure-behaviour.md), and the recovery.
   */
  private outage(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis is unreachable (${error.message}): limits count per instance, sign-in answers 503, live events pause`,
    );
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log('Redis is reachable again');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
