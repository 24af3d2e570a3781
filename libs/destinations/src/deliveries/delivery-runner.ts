import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryAttemptHandler } from './delivery-attempt.handler';
import { DeliveryQueueRepository } from './delivery-queue.repository';

/** Whether this process sends deliveries (always in the worker; in the api with JOBS_IN_API). */
export const RUN_DELIVERIES = Symbol('RUN_DELIVERIES');

const BATCH_SIZE = 20;
/** Well past one attempt (10 s timeout) plus its database writes; a dead worker's claim frees after it. */
const LEASE_MS = 60_000;
const IDLE_POLL_MS = 500;

/**
 * Consumes the delivery queue like JobRunner consumes the submission queue: claim a batch
 * of due deliveries under a lease, attempt each, and let DeliveryAttemptHandler record the
 * outcome. Deliveries are at-least-once; receivers de-duplicate on the `webhook-id`.
 */
@Injectable()
export class DeliveryRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRunner.name);
  private loop: Promise<void> | null = null;
  private stopping: AbortController | null = null;

  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly handler: DeliveryAttemptHandler,
    @Inject(RUN_DELIVERIES) private readonly enabled: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (this.enabled) this.start();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  /** Stops claiming and waits for the attempts in flight (each ends within its timeout). */
  async onApplicationShutdown(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Attempts due deliveries until none is due; returns how many attempts were handled. */
  async drain(): Promise<number> {
    let handled = 0;
    for (
      let claimed = await this.queue.claim(BATCH_SIZE, LEASE_MS);
      claimed.length > 0;
      claimed = await this.queue.claim(BATCH_SIZE, LEASE_MS)
    ) {
      // One failing delivery must not stop the others of its batch; its lease runs out
      // and it is claimed again.
      const outcomes = await Promise.allSettled(
        claimed.map((delivery) => this.handler.handle(delivery)),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          this.logger.error(`Delivery attempt failed: ${describe(outcome.reason)}`);
      }
      handled += claimed.length;
    }
    return handled;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if ((await this.drain()) === 0) {
          await sleep(IDLE_POLL_MS, undefined, { signal }).catch(() => undefined);
        }
      } catch (error) {
        // The database may be down: keep the loop alive and try again shortly.
        this.logger.error(`Delivery loop failed: ${describe(error)}`);
        await sleep(IDLE_POLL_MS * 4, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
