import { Injectable } from '@nestjs/common';
import { DeliveriesService } from '@intake/destinations';
import { storedFieldsSchema } from '@intake/forms';
import { OwnerNotifications } from '../notifications/owner-notifications';
import { checkStandardSpam } from '../spam';
import { ProcessingRepository, type SubmissionForProcessing } from './processing.repository';

interface SpamOutcome {
  spam: boolean;
  spamConfidence: number | null;
  spamReason: string | null;
}

/**
 * Runs the pipeline for one submission. Idempotent: a job delivered twice (at-least-once)
 * finds the submission completed and only re-checks that its deliveries are queued.
 */
@Injectable()
export class SubmissionProcessor {
  constructor(
    private readonly repository: ProcessingRepository,
    private readonly deliveries: DeliveriesService,
    private readonly notifications: OwnerNotifications,
  ) {}

  async process(submissionId: string): Promise<void> {
    const submission = await this.repository.load(submissionId);
    // Deleted since it was queued, or given up on by an earlier delivery of the same job.
    if (!submission || submission.processingStatus === 'failed') return;
    let completed: SubmissionForProcessing = submission;
    if (submission.processingStatus !== 'completed') {
      const spam = await this.spamVerdict(submission);
      completed = {
        ...submission,
        ...(await this.repository.finish(submissionId, { ...spam, processingReason: null })),
      };
    }
    // The steps below also run again after a crash between them; each keeps its own record.
    if (
      !completed.spam &&
      (await this.notifications.notifySubmission(completed, completed.form)) === 'sent'
    ) {
      await this.repository.markOwnerNotified(submissionId);
    }
    await this.deliveries.enqueueFor(submissionId);
  }

  fail(submissionId: string, reason: string): Promise<void> {
    return this.repository.fail(submissionId, reason);
  }

  /** A honeypot hit at ingest stands; otherwise the form's standard checks, when enabled. */
  private async spamVerdict(submission: SubmissionForProcessing): Promise<SpamOutcome> {
    const current = {
      spam: submission.spam,
      spamConfidence: submission.spamConfidence,
      spamReason: submission.spamReason,
    };
    if (submission.spam || !submission.form.spamProtectionEnabled) return current;
    const verdict = checkStandardSpam({
      data: submission.data as Record<string, string | number | boolean>,
      fields: storedFieldsSchema(submission.version).fields,
      honeypotFilled: [],
      recent: await this.repository.recentSignals(submission),
    });
    return {
      spam: verdict.spam,
      spamConfidence: verdict.confidence,
      spamReason: verdict.reasons.join('; ').slice(0, 500) || null,
    };
  }
}
