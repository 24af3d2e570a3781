import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { RedisConnection } from '@intake/common';
import { isOwnerEvent, type OwnerEvent } from './owner-event';

const CHANNEL = 'owner-events';
const LOCAL = 'event';

/**
 * The bus between the pipeline (which publishes) and the realtime gateway (which delivers
 * to sockets). In one process it is an EventEmitter; with `REDIS_URL` every event goes
 * through Redis pub/sub, so an event published by a worker reaches the sockets held by
 * every api instance. Delivery is best effort: the dashboard also reloads on reconnect.
 */
@Injectable()
export class OwnerEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OwnerEvents.name);
  private readonly local = new EventEmitter();
  private subscriber: Redis | null = null;

  constructor(private readonly redis: RedisConnection) {
    this.local.setMaxListeners(0);
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis.client) return;
    // A subscribed connection can do nothing else: a duplicate of the shared one, which
    // waits for Redis (offline queue) and resubscribes by itself after a reconnect.
    this.subscriber = this.redis.client.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
    await this.subscriber.subscribe(this.channel());
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.local.removeAllListeners();
  }

  async publish(event: OwnerEvent): Promise<void> {
    if (!this.redis.client) {
      this.local.emit(LOCAL, event);
      return;
    }
    await this.redis.client
      .publish(this.channel(), JSON.stringify(event))
      .catch((error: unknown) => {
        this.logger.warn(
          `Could not publish ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }

  /** Returns the unsubscribe function. */
  subscribe(handler: (event: OwnerEvent) => void): () => void {
    this.local.on(LOCAL, handler);
    return () => this.local.off(LOCAL, handler);
  }

  /** Pub/sub channels ignore ioredis' keyPrefix: prefix by hand so instances sharing a Redis stay apart. */
  private channel(): string {
    return `${this.redis.keyPrefix}${CHANNEL}`;
  }

  private dispatch(message: string): void {
    try {
      const event: unknown = JSON.parse(message);
      if (isOwnerEvent(event)) this.local.emit(LOCAL, event);
    } catch {
      this.logger.warn('Ignored a malformed owner event');
    }
  }
}
