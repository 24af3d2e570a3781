import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueueName, QueueSignals } from './queue-signals';

export interface QueueSettings {
  batchSize: number;
  /** How long a claim holds; a dead consumer's items are claimed again after it. */
  leaseMs: number;
  /** The longest an idle consumer waits before it looks again, woken or not. */
  idlePollMs: number;
}

/** Where a consumer hears that new work was committed (QueueSignals), and for which queue. */
export interface QueueWakeUps {
  signals: QueueSignals;
  queue: QueueName;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The loop behind Intake's database queues (submission jobs, deliveries): claim a batch of
 * due rows under a lease (`FOR UPDATE SKIP LOCKED` in the subclass's `claim`), handle each,
 * and when idle wait for a wake-up (new work committed) or the next poll (work that fell
 * due: retries, expired leases). Started at bootstrap when enabled; shutdown stops claiming
 * and waits for the batch in hand. `drain()` runs the same work synchronously (tests, tools).
 */
export abstract class LeasedQueueConsumer<Item>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  protected abstract readonly logger: Logger;
  private loop: Promise<void> | null = null;
  private stopping: AbortController | null = null;
  /** Set by a wake-up; a wake-up that comes while the loop is claiming must not be lost. */
  private woken = false;
  private wakeIdle: (() => void) | null = null;

  protected constructor(
    private readonly settings: QueueSettings,
    private readonly enabled: boolean,
    private readonly wakeUps: QueueWakeUps,
  ) {}

  protected abstract claim(batchSize: number, leaseMs: number): Promise<Item[]>;
  protected abstract handle(item: Item): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.enabled) this.start();
  }

  start(): void {
    if (this.loop) return;
    const stopping = new AbortController();
    const stopListening = this.wakeUps.signals.listen(this.wakeUps.queue, () => {
      this.woken = true;
      this.wakeIdle?.();
    });
    stopping.signal.addEventListener('abort', stopListening, { once: true });
    this.stopping = stopping;
    this.loop = this.run(stopping.signal);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Handles due items until none is left; returns how many were handled. */
  async drain(): Promise<number> {
    const { batchSize, leaseMs } = this.settings;
    let handled = 0;
    for (
      let items = await this.claim(batchSize, leaseMs);
      items.length > 0;
      items = await this.claim(batchSize, leaseMs)
    ) {
      // One failing item must not stop the others of its batch: its lease runs out and it
      // is claimed again.
      const outcomes = await Promise.allSettled(items.map((item) => this.handle(item)));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          this.logger.error(`Queue item failed: ${describe(outcome.reason)}`);
      }
      handled += items.length;
    }
    return handled;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { idlePollMs } = this.settings;
    while (!signal.aborted) {
      try {
        this.woken = false;
        if ((await this.drain()) === 0 && !this.woken) await this.idle(idlePollMs, signal);
      } catch (error) {
        // The database may be down: keep the loop alive and try again shortly.
        this.logger.error(`Queue loop failed: ${describe(error)}`);
        await sleep(idlePollMs * 4, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** Waits out `ms`, or less if woken or stopped. */
  private idle(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeIdle = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wakeIdle = done;
    });
  }
}
