import { Injectable } from '@nestjs/common';
import { storedFieldsSchema } from '@intake/forms';
import { checkStandardSpam } from '../spam';
import { ProcessingRepository, type SubmissionForProcessing } from './processing.repository';

interface SpamOutcome {
  spam: boolean;
  spamConfidence: number | null;
  spamReason: string | null;
}

/**
 * Runs the pipeline for one submission. Idempotent: a submission already completed or
 * failed is left alone, so a job delivered twice (at-least-once) does its work once.
 */
@Injectable()
export class SubmissionProcessor {
  constructor(private readonly repository: ProcessingRepository) {}

  async process(submissionId: string): Promise<void> {
    const submission = await this.repository.load(submissionId);
    // Deleted since it was queued, or finished by an earlier delivery of the same job.
    if (
      !submission ||
      submission.processingStatus === 'completed' ||
      submission.processingStatus === 'failed'
    )
      return;
    const spam = await this.spamVerdict(submission);
    await this.repository.finish(submissionId, { ...spam, processingReason: null });
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
