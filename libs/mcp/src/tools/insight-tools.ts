import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { FormsService } from '@intake/forms';
import { SubmissionsService, type SubmissionStatsOutput } from '@intake/submissions';
import { defineTool, type McpTool } from './mcp-tool';
import { submissionSummary } from './submission-views';
import { formId, submissionFilter } from './tool-inputs';

/** The most submissions a summary reads. */
const MAX_SUMMARISED = 200;

/** Reply statuses that mean the AI wrote a reply (sent, to review, or failed to send). */
const DRAFTED = ['awaiting_review', 'awaiting_delivery', 'delivered', 'delivery_failed'] as const;

function aiReplies(stats: SubmissionStatsOutput) {
  const count = (status: keyof SubmissionStatsOutput['replies']) => stats.replies[status] ?? 0;
  return {
    drafted: DRAFTED.reduce((sum, status) => sum + count(status), 0),
    sent: count('delivered'),
    awaiting_review: count('awaiting_review'),
    needs_human_reply: count('needs_human_reply'),
  };
}

/** Numbers across the account, and summaries of one form's submissions. */
@Injectable()
export class InsightTools {
  constructor(
    private readonly forms: FormsService,
    private readonly submissions: SubmissionsService,
  ) {}

  tools(): McpTool[] {
    return [
      defineTool({
        name: 'get_dashboard_stats',
        title: 'Dashboard numbers',
        description:
          'Across all your forms: how many forms, submissions, spam blocked, and AI replies ' +
          '(drafted, sent, awaiting review, handed to a human), with the first and last ' +
          'submission dates.',
        scopes: ['forms:read', 'submissions:read'],
        input: z.strictObject({}),
        readOnly: true,
        usesAi: false,
        untrusted: false,
        run: async (_input, caller) => {
          // One row is enough: the page's metadata carries the owner's form count.
          const { meta } = await this.forms.list(caller.ownerId, 1, 1);
          const stats = await this.submissions.stats(caller.ownerId, null);
          return {
            forms: meta.total_count,
            submissions: stats.total,
            inbox: stats.inbox,
            spam_blocked: stats.spam,
            ai_replies: aiReplies(stats),
            first_submission_at: stats.first_at,
            last_submission_at: stats.last_at,
          };
        },
      }),
      defineTool({
        name: 'summarize_submissions',
        title: 'Summarise a form’s submissions',
        description:
          'For one form: counts (total, inbox, spam), replies per status, the date range, and ' +
          `the most recent submissions (up to ${MAX_SUMMARISED}, values cut to 300 characters) ` +
          'to summarise themes from.',
        scopes: ['submissions:read'],
        input: z.strictObject({
          form_id: formId,
          limit: z.int().min(1).max(MAX_SUMMARISED).default(50),
          filter: submissionFilter.default('inbox'),
        }),
        readOnly: true,
        usesAi: false,
        untrusted: true,
        run: async ({ form_id, limit, filter }, caller) => {
          const stats = await this.submissions.stats(caller.ownerId, form_id);
          const recent = await this.submissions.list(caller.ownerId, form_id, {
            filter,
            page: 1,
            page_size: limit,
            sort_by: 'created_at',
            sort_order: 'desc',
          });
          return {
            form_id,
            counts: { total: stats.total, inbox: stats.inbox, spam: stats.spam },
            replies: stats.replies,
            ai_replies: aiReplies(stats),
            date_range: { first: stats.first_at, last: stats.last_at },
            recent: recent.data.map(submissionSummary),
          };
        },
      }),
    ];
  }
}
