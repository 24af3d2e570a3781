import { Injectable } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError, pageMeta, type PageMeta } from '@intake/common';
import { FormsService } from '@intake/forms';
import { OwnerEvents } from '@intake/realtime';
import {
  toSubmissionOutput,
  type SubmissionMatchOutput,
  type SubmissionOutput,
  type SubmissionStatsOutput,
} from './submission.output';
import type { ListSubmissionsQuery, SubmissionFilters } from './submissions.query';
import { SubmissionsRepository } from './submissions.repository';

/** The owner's view of a form's submissions. Every call first proves the form is theirs. */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly repository: SubmissionsRepository,
    private readonly forms: FormsService,
    private readonly audit: AuditService,
    private readonly events: OwnerEvents,
  ) {}

  async list(
    ownerId: string,
    formId: string,
    query: ListSubmissionsQuery,
  ): Promise<{ data: SubmissionOutput[]; meta: PageMeta }> {
    await this.forms.find(ownerId, formId);
    const [submissions, total] = await this.repository.page(ownerId, formId, query);
    return {
      data: submissions.map(toSubmissionOutput),
      meta: pageMeta(query.page, query.page_size, total),
    };
  }

  /**
   * The newest submissions matching `search` (full text over the data), in one form or,
   * with `formId` null, across all of the owner's forms.
   */
  async search(
    ownerId: string,
    formId: string | null,
    search: string,
    filter: SubmissionFilters['filter'],
    limit: number,
  ): Promise<SubmissionMatchOutput[]> {
    if (formId !== null) await this.forms.find(ownerId, formId);
    const submissions = await this.repository.search(ownerId, formId, { filter, search }, limit);
    return submissions.map((submission) => ({
      form_id: submission.formId,
      ...toSubmissionOutput(submission),
    }));
  }

  /** Totals, spam, replies per status and the date range: one form's, or (null) every form's. */
  async stats(ownerId: string, formId: string | null): Promise<SubmissionStatsOutput> {
    if (formId !== null) await this.forms.find(ownerId, formId);
    const counts = await this.repository.counts(ownerId, formId);
    return {
      total: counts.total,
      inbox: counts.total - counts.spam,
      spam: counts.spam,
      replies: counts.replies,
      first_at: counts.firstAt?.toISOString() ?? null,
      last_at: counts.lastAt?.toISOString() ?? null,
    };
  }

  async get(ownerId: string, formId: string, id: string): Promise<SubmissionOutput> {
    const submission = await this.repository.find(ownerId, formId, id);
    if (!submission) throw AppError.notFound('Submission');
    return toSubmissionOutput(submission);
  }

  async delete(
    ownerId: string,
    formId: string,
    id: string,
    client: AuditClient,
  ): Promise<SubmissionOutput> {
    const submission = await this.get(ownerId, formId, id);
    await this.repository.delete(ownerId, formId, id);
    this.events.publish({ type: 'submission.deleted', ownerId, formId, subjectId: id });
    await this.audit.record({
      actorId: ownerId,
      action: 'submission.deleted',
      target: { type: 'submission', id },
      client,
    });
    return submission;
  }

  /** Moves a submission between inbox and spam; the audit entry keeps the owner's verdict. */
  async setSpam(
    ownerId: string,
    formId: string,
    id: string,
    spam: boolean,
    client: AuditClient,
  ): Promise<SubmissionOutput> {
    const submission = await this.repository.setSpam(ownerId, formId, id, spam);
    if (!submission) throw AppError.notFound('Submission');
    this.events.publish({ type: 'submission.updated', ownerId, formId, subjectId: id });
    await this.audit.record({
      actorId: ownerId,
      action: 'submission.spam_marked',
      target: { type: 'submission', id },
      client,
      metadata: { spam },
    });
    return toSubmissionOutput(submission);
  }
}
