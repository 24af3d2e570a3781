import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import type { Prisma } from '@intake/database';
import { DeliveriesService } from '@intake/destinations';
import { storedFieldsSchema, type Field } from '@intake/forms';
import { Mailer } from '@intake/mail';
import { IntakeMetrics } from '@intake/metrics';
import { OwnerEvents } from '@intake/realtime';
import { AiServiceError } from '../ai/ai-client';
import { AiSteps } from '../ai/ai-steps';
import { detectLanguage } from '../ai/language-detection';
import { replyRecipient, smartReplyMail } from '../ai/smart-reply-mail';
import { textFields } from '../ai/submission-text';
import { MAX_ATTEMPTS } from '../jobs/backoff';
import { OwnerNotifications } from '../notifications/owner-notifications';
import { checkStandardSpam } from '../spam';
import {
  ProcessingRepository,
  type ProcessingOutcome,
  type SubmissionForProcessing,
} from './processing.repository';

/**
 * Runs the pipeline for one submission. Idempotent: a job delivered twice (at-least-once)
 * finds the submission completed and only re-checks its reply, notification and deliveries.
 *
 * Order: standard spam check, language detection (local, always), then the opt-in AI
 * steps, each only when `OPENAI_API_KEY` is set (otherwise skipped silently, and an
 * `intelligent` form is judged by the standard checks alone): intelligent spam check,
 * translation, smart reply. Spam stops the pipeline: no translation, reply or mail.
 *
 * AI failure rule: a failed or timed-out AI call throws, so the job queue retries it with
 * backoff; on the job's last attempt (`MAX_ATTEMPTS`) the submission completes instead,
 * keeping the standard verdict and whatever AI steps did succeed, with `processing_reason
 * = service_error`. An exhausted account (429 `insufficient_quota`) does not retry: it
 * completes at once with `processing_reason = credits_exhausted`.
 */
@Injectable()
export class SubmissionProcessor {
  constructor(
    private readonly repository: ProcessingRepository,
    private readonly deliveries: DeliveriesService,
    private readonly notifications: OwnerNotifications,
    private readonly ai: AiSteps,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly events: OwnerEvents,
    private readonly metrics: IntakeMetrics,
  ) {}

  /** `attempt` counts deliveries of this job, from 1; the last one settles AI failures. */
  async process(submissionId: string, attempt = 1): Promise<void> {
    const submission = await this.repository.load(submissionId);
    // Deleted since it was queued, or given up on by an earlier delivery of the same job.
    if (!submission || submission.processingStatus === 'failed') return;
    const lastAttempt = attempt >= MAX_ATTEMPTS;
    let completed: SubmissionForProcessing = submission;
    if (submission.processingStatus !== 'completed') {
      const outcome = await this.analyse(submission, lastAttempt);
      completed = { ...submission, ...(await this.repository.finish(submissionId, outcome)) };
      // Here and only here: a redelivered job finds the submission completed and skips this.
      if (completed.spam) this.metrics.submissionFlaggedSpam();
    }
    // The steps below also run again after a crash between them; each keeps its own record.
    if (completed.replyStatus === 'awaiting_delivery') await this.sendReply(completed, lastAttempt);
    if (
      !completed.spam &&
      (await this.notifications.notifySubmission(completed, completed.form)) === 'sent'
    ) {
      await this.repository.markOwnerNotified(submissionId);
    }
    await this.deliveries.enqueueFor(submissionId);
    this.events.publish({
      type: 'submission.processed',
      ownerId: completed.userId,
      formId: completed.formId,
      subjectId: completed.id,
    });
  }

  fail(submissionId: string, reason: string): Promise<void> {
    return this.repository.fail(submissionId, reason);
  }

  private async analyse(
    submission: SubmissionForProcessing,
    lastAttempt: boolean,
  ): Promise<ProcessingOutcome> {
    const fields = storedFieldsSchema(submission.version).fields;
    const prose = textFields(submission.data, fields, { includeEmails: false });
    const outcome: ProcessingOutcome = {
      ...(await this.spamVerdict(submission, fields)),
      processingReason: null,
      detectedLanguage: detectLanguage(Object.values(prose).join('\n')),
    };
    if (outcome.spam || !this.ai.enabled) return outcome;
    try {
      await this.aiSteps(submission, fields, outcome);
    } catch (error) {
      if (!(error instanceof AiServiceError)) throw error;
      // See the failure rule above; `outcome` holds the steps that did succeed.
      if (error.reason === 'credits_exhausted' || lastAttempt) {
        return { ...outcome, processingReason: error.reason };
      }
      throw error;
    }
    return outcome;
  }

  /** Fills `outcome` step by step, so a later step's failure keeps the earlier results. */
  private async aiSteps(
    submission: SubmissionForProcessing,
    fields: readonly Field[],
    outcome: ProcessingOutcome,
  ): Promise<void> {
    const { form } = submission;
    if (form.spamProtectionEnabled && form.spamProtectionStrategy === 'intelligent') {
      const texts = textFields(submission.data, fields, { includeEmails: true });
      Object.assign(outcome, await this.ai.classifySpam(form.intent, texts));
      if (outcome.spam) return;
    }
    const prose = textFields(submission.data, fields, { includeEmails: false });
    const ownerLanguage = form.user.locale.split(/[-_]/)[0]?.toLowerCase() ?? 'en';
    // An undetected language (short text) is translated too: the model can tell, we cannot.
    const foreign = outcome.detectedLanguage !== ownerLanguage;
    if (form.localisationEnabled && foreign && Object.keys(prose).length > 0) {
      // A full copy of `data` with the prose translated: e-mails, numbers and the other
      // fields stay as submitted, and the original `data` is kept untouched beside it.
      outcome.translatedData = {
        ...(submission.data as Prisma.JsonObject),
        ...(await this.ai.translate(prose, form.user.locale)),
      };
    }
    // The knowledge base must be the owner's own (the forms service checks; so do we).
    const knowledgeBase =
      form.knowledgeBase?.userId === submission.userId ? form.knowledgeBase : null;
    if (!form.smartReplyEnabled || !knowledgeBase) return;
    if (
      form.smartRepliesMode === 'auto' &&
      !replyRecipient(submission.data, form.smartReplyEmailField)
    ) {
      outcome.replyStatus = 'skipped';
      return;
    }
    const draft = await this.ai.draftReply(knowledgeBase.content, prose);
    if (!draft.answerable) {
      outcome.replyStatus = 'needs_human_reply';
      return;
    }
    outcome.replyStatus =
      form.smartRepliesMode === 'auto' ? 'awaiting_delivery' : 'awaiting_review';
    outcome.replySubject = draft.subject;
    outcome.replyContent = draft.body;
  }

  /**
   * Auto mode: mails the stored reply. `reply_status` is the record that it went out, so a
   * retried job does not send twice (a crash between send and record can repeat it; the
   * stable Message-ID lets mail clients fold it). A failed send retries with the job and
   * becomes `delivery_failed` on the last attempt.
   */
  private async sendReply(
    submission: SubmissionForProcessing,
    lastAttempt: boolean,
  ): Promise<void> {
    const to = replyRecipient(submission.data, submission.form.smartReplyEmailField);
    try {
      if (!to || !submission.replyContent) throw new Error('No recipient or reply to send');
      const mail = smartReplyMail(
        {
          submissionId: submission.id,
          formId: submission.formId,
          to,
          subject: submission.replySubject ?? '',
          body: submission.replyContent,
        },
        new URL(this.config.publicUrl).hostname,
      );
      await this.mailer.send(mail);
    } catch (error) {
      if (!lastAttempt && to) throw error;
      await this.repository.markReplySent(submission.id, 'delivery_failed');
      return;
    }
    await this.repository.markReplySent(submission.id, 'delivered');
  }

  /** A honeypot hit at ingest stands; otherwise the form's standard checks, when enabled. */
  private async spamVerdict(
    submission: SubmissionForProcessing,
    fields: Field[],
  ): Promise<Pick<ProcessingOutcome, 'spam' | 'spamConfidence' | 'spamReason'>> {
    const current = {
      spam: submission.spam,
      spamConfidence: submission.spamConfidence,
      spamReason: submission.spamReason,
    };
    if (submission.spam || !submission.form.spamProtectionEnabled) return current;
    const verdict = checkStandardSpam({
      data: submission.data as Record<string, string | number | boolean>,
      fields,
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
