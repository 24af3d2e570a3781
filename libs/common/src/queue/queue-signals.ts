import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import { RedisConnection } from '../redis/redis-connection';

/** The database queues a consumer can be woken for. */
export type QueueName = 'submission_jobs' | 'deliveries';

/**
 * Wake-ups for the database queues. A producer that has just committed due work says so,
 * and the consumers of that queue stop their idle wait and claim at once: in every process
 * through Redis pub/sub, within this process without Redis (where the api runs the jobs).
 * Only latency rides on it: the queue rows are the work, and a lost signal (Redis away, a
 * consumer busy claiming) costs one idle poll, as without signals.
 */
@Injectable()
export class QueueSignals implements OnApplicationShutdown {
  private readonly local = new EventEmitter();
  private subscriber: Redis | null = null;
  /** Channel -> queue, for the queues this process listens to. */
  private readonly subscribed = new Map<string, QueueName>();

  constructor(private readonly redis: RedisConnection) {}

  /** After the commit that made work due. Never waits and never throws. */
  notify(queue: QueueName): void {
    const client = this.redis.client;
    if (!client) {
      this.local.emit(queue);
      return;
    }
    // The main connection logs a Redis outage once; a lost wake-up needs no more.
    client.publish(this.channel(queue), '').catch(() => undefined);
  }

  /** Calls `listener` whenever `queue` is signalled; returns what stops it. */
  listen(queue: QueueName, listener: () => void): () => void {
    this.local.on(queue, listener);
    this.subscribe(queue);
    return () => this.local.off(queue, listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  /** ioredis does not prefix pub/sub channels, so the deployment's prefix is added here. */
  private channel(queue: QueueName): string {
    return `${this.redis.keyPrefix}queue:${queue}`;
  }

  private subscribe(queue: QueueName): void {
    const client = this.redis.client;
    const channel = this.channel(queue);
    if (!client || this.subscribed.has(channel)) return;
    this.subscribed.set(channel, queue);
    if (!this.subscriber) {
      // A connection of its own (a subscribed one can do nothing else). It queues the
      // SUBSCRIBE until connected and subscribes again after each reconnect.
      const subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (from: string) => {
        const signalled = this.subscribed.get(from);
        if (signalled) this.local.emit(signalled);
      });
      this.subscriber = subscriber;
    }
    this.subscriber.subscribe(channel).catch(() => undefined);
  }
}
