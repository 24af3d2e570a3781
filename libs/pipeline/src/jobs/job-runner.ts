import { Inject, Injectable, Logger } from '@nestjs/common';
import { LeasedQueueConsumer, QueueSignals } from '@intake/common';
import { IntakeMetrics } from '@intake/metrics';
import { SubmissionProcessor } from '../processing/submission-processor';
import { retryDelayMs, MAX_ATTEMPTS } from './backoff';
import { JobQueueRepository, type ClaimedJob } from './job-queue.repository';

/** Whether this process consumes the queue (always in the worker; in the api with JOBS_IN_API). */
export const RUN_JOBS = Symbol('RUN_JOBS');

/**
 * Consumes the submission outbox: process each claimed submission, then delete the job,
 * schedule a retry with backoff, or after the last attempt mark the submission failed
 * (visible to the owner as `processing_status = failed` with a `processing_reason`).
 */
@Injectable()
export class JobRunner extends LeasedQueueConsumer<ClaimedJob> {
  protected readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly queue: JobQueueRepository,
    private readonly processor: SubmissionProcessor,
    private readonly metrics: IntakeMetrics,
    signals: QueueSignals,
    @Inject(RUN_JOBS) enabled: boolean,
  ) {
    // Lease: longer than any job can take (AI and delivery calls time out well before).
    super({ batchSize: 20, leaseMs: 5 * 60_000, idlePollMs: 250 }, enabled, {
      signals,
      queue: 'submission_jobs',
    });
    metrics.observeQueueDepth('submission_jobs', () => queue.depth());
  }

  protected claim(batchSize: number, leaseMs: number): Promise<ClaimedJob[]> {
    return this.queue.claim(batchSize, leaseMs);
  }

  protected async handle(job: ClaimedJob): Promise<void> {
    try {
      await this.processor.process(job.submissionId, job.attempts);
      await this.queue.complete(job.id);
    } catch (error) {
      this.metrics.jobFailed('submission_processing');
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
