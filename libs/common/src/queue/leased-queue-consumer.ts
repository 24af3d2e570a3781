import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

export interface QueueSettings {
  batchSize: number;
  /** How long a claim holds; a dead consumer's items are claimed again after it. */
  leaseMs: number;
  idlePollMs: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The loop behind Intake's database queues (submission jobs, deliveries): claim a batch of
 * due rows under a lease (`FOR UPDATE SKIP LOCKED` in the subclass's `claim`), handle each,
 * poll again when idle. Started at bootstrap when enabled; shutdown stops claiming and
 * waits for the batch in hand. `drain()` runs the same work synchronously (tests, tools).
 */
export abstract class LeasedQueueConsumer<Item>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  protected abstract readonly logger: Logger;
  private loop: Promise<void> | null = null;
  private stopping: AbortController | null = null;

  protected constructor(
    private readonly settings: QueueSettings,
    private readonly enabled: boolean,
  ) {}

  protected abstract claim(batchSize: number, leaseMs: number): Promise<Item[]>;
  protected abstract handle(item: Item): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.enabled) this.start();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
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
        if ((await this.drain()) === 0)
          await sleep(idlePollMs, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        // The database may be down: keep the loop alive and try again shortly.
        this.logger.error(`Queue loop failed: ${describe(error)}`);
        await sleep(idlePollMs * 4, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
