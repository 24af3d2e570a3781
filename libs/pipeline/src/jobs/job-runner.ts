import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { SubmissionProcessor } from '../processing/submission-processor';
import { retryDelayMs, MAX_ATTEMPTS } from './backoff';
import { JobQueueRepository, type ClaimedJob } from './job-queue.repository';

/** Whether this process consumes the queue (always in the worker; in the api only when embedded). */
export const RUN_JOBS = Symbol('RUN_JOBS');

const BATCH_SIZE = 20;
/** Longer than any job can take (AI and delivery calls time out well before). */
const LEASE_MS = 5 * 60_000;
const IDLE_POLL_MS = 250;

/**
 * Consumes the submission outbox: claim a batch, process each submission, then delete the
 * job, schedule a retry with backoff, or after the last attempt mark the submission failed
 * (visible to the owner as `processing_status = failed` with a `processing_reason`).
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private loop: Promise<void> | null = null;
  private stopping: AbortController | null = null;

  constructor(
    private readonly queue: JobQueueRepository,
    private readonly processor: SubmissionProcessor,
    @Inject(RUN_JOBS) private readonly enabled: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (this.enabled) this.start();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run(this.stopping.signal);
  }

  /** Stops claiming and waits for the jobs in hand (graceful shutdown). */
  async onApplicationShutdown(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Processes due jobs until none is left; returns how many were handled. */
  async drain(): Promise<number> {
    let handled = 0;
    for (
      let jobs = await this.queue.claim(BATCH_SIZE, LEASE_MS);
      jobs.length > 0;
      jobs = await this.queue.claim(BATCH_SIZE, LEASE_MS)
    ) {
      await Promise.all(jobs.map((job) => this.handle(job)));
      handled += jobs.length;
    }
    return handled;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if ((await this.drain()) === 0)
          await sleep(IDLE_POLL_MS, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        // The database may be down: keep the loop alive and try again shortly.
        this.logger.error(
          `Job loop failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        await sleep(IDLE_POLL_MS * 4, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async handle(job: ClaimedJob): Promise<void> {
    try {
      await this.processor.process(job.submissionId, job.attempts);
      await this.queue.complete(job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts >= MAX_ATTEMPTS) {
        this.logger.warn(
          `Submission ${job.submissionId} failed after ${job.attempts} attempts: ${message}`,
        );
        await this.processor.fail(job.submissionId, 'service_error');
        await this.queue.complete(job.id);
      } else {
        await this.queue.retryLater(job.id, retryDelayMs(job.attempts), message);
      }
    }
  }
}
