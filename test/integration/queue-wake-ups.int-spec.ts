import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LeasedQueueConsumer, QueueSignals, RedisConnection } from '@intake/common';
import { loadConfig } from '@intake/config';
import { usingRedis } from '../support/test-database';

/** Longer than any test may run: a consumer that handles an item was woken, not polled. */
const NEVER_POLLS_MS = 10 * 60_000;

/** A consumer of an in-memory queue; `committedDuringClaim` runs inside its next claim. */
class ListConsumer extends LeasedQueueConsumer<string> {
  protected readonly logger = new Logger('ListConsumer');
  readonly due: string[] = [];
  committedDuringClaim: (() => void) | null = null;
  private readonly waiting = new Map<string, () => void>();

  constructor(signals: QueueSignals) {
    super({ batchSize: 10, leaseMs: 1_000, idlePollMs: NEVER_POLLS_MS }, true, {
      signals,
      queue: 'submission_jobs',
    });
  }

  handled(item: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(item, resolve));
  }

  protected claim(): Promise<string[]> {
    const items = this.due.splice(0);
    const commit = this.committedDuringClaim;
    this.committedDuringClaim = null;
    commit?.();
    return Promise.resolve(items);
  }

  protected handle(item: string): Promise<void> {
    this.waiting.get(item)?.();
    return Promise.resolve();
  }
}

function signalsFor(env: Record<string, string>): {
  redis: RedisConnection;
  signals: QueueSignals;
} {
  const redis = new RedisConnection(
    loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env }),
  );
  return { redis, signals: new QueueSignals(redis) };
}

describe('queue wake-ups', () => {
  it('wakes an idle consumer in this process at once (no Redis: the embedded default)', async () => {
    const { signals } = signalsFor({});
    const consumer = new ListConsumer(signals);
    consumer.start();
    try {
      // Its first claim finds nothing; let it reach its idle wait.
      await new Promise((resolve) => setImmediate(resolve));
      const handled = consumer.handled('a');
      consumer.due.push('a');
      signals.notify('submission_jobs');
      await handled;
    } finally {
      await consumer.onApplicationShutdown();
    }
  });

  it('keeps a wake-up that arrives while the consumer is claiming', async () => {
    const { signals } = signalsFor({});
    const consumer = new ListConsumer(signals);
    const handled = consumer.handled('b');
    // Work committed after the claim read the queue, signalled before the consumer idles.
    consumer.committedDuringClaim = () => {
      consumer.due.push('b');
      signals.notify('submission_jobs');
    };
    consumer.start();
    try {
      await handled;
    } finally {
      await consumer.onApplicationShutdown();
    }
  });

  // Needs a Redis server; CI's PostgreSQL + Redis passes run it.
  (usingRedis ? it : it.skip)('wakes a consumer in another process through Redis', async () => {
    const env = {
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    };
    const worker = signalsFor(env);
    const api = signalsFor(env);
    const consumer = new ListConsumer(worker.signals);
    consumer.start();
    // The worker's SUBSCRIBE may not be in place yet: signal until it is (a signal lost before
    // it is what the idle poll is there for).
    const repeat = setInterval(() => api.signals.notify('submission_jobs'), 50);
    try {
      const handled = consumer.handled('c');
      consumer.due.push('c');
      await handled;
    } finally {
      clearInterval(repeat);
      await consumer.onApplicationShutdown();
      for (const side of [worker, api]) {
        await side.signals.onApplicationShutdown();
        await side.redis.onApplicationShutdown();
      }
    }
  });
});
