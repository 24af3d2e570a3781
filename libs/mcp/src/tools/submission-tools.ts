import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { SubmissionsService } from '@intake/submissions';
import { defineTool, type McpTool } from './mcp-tool';
import { submissionDetail, submissionSummary } from './submission-views';
import { formId, submissionFilter, submissionId } from './tool-inputs';

/** A form's submissions: list, read, search, and move between inbox and spam. */
@Injectable()
export class SubmissionTools {
  constructor(private readonly submissions: SubmissionsService) {}

  tools(): McpTool[] {
    return [
      defineTool({
        name: 'list_submissions',
        title: 'List submissions',
        description:
          'A form’s submissions, newest first, with paging metadata. Each shows its state and ' +
          'what was submitted (long values cut to 300 characters; get_submission shows all).',
        scopes: ['submissions:read'],
        input: z.strictObject({
          form_id: formId,
          filter: submissionFilter.default('inbox'),
          limit: z.int().min(1).max(50).default(20),
          page: z.int().min(1).max(1_000_000).default(1),
        }),
        readOnly: true,
        usesAi: false,
        untrusted: true,
        run: async ({ form_id, filter, limit, page }, caller) => {
          const { data, meta } = await this.submissions.list(caller.ownerId, form_id, {
            filter,
            page,
            page_size: limit,
            sort_by: 'created_at',
            sort_order: 'desc',
          });
          return { form_id, submissions: data.map(submissionSummary), meta };
        },
      }),
      defineTool({
        name: 'get_submission',
        title: 'Get a submission',
        description:
          'One submission in full: what was submitted, its translation, the spam verdict, the ' +
          'drafted or sent reply, and request metadata.',
        scopes: ['submissions:read'],
        input: z.strictObject({ form_id: formId, submission_id: submissionId }),
        readOnly: true,
        usesAi: false,
        untrusted: true,
        run: async ({ form_id, submission_id }, caller) => ({
          submission: submissionDetail(
            await this.submissions.get(caller.ownerId, form_id, submission_id),
          ),
        }),
      }),
      defineTool({
        name: 'search_submissions',
        title: 'Search submissions',
        description:
          'Full-text search over submitted values (words, "quoted phrases", -excluded), in one ' +
          'form or, without form_id, across all your forms. Newest matches first, each with ' +
          'its form_id.',
        scopes: ['submissions:read'],
        input: z.strictObject({
          query: z.string().trim().min(1).max(200),
          form_id: formId.optional(),
          filter: submissionFilter.default('all'),
          limit: z.int().min(1).max(50).default(20),
        }),
        readOnly: true,
        usesAi: false,
        untrusted: true,
        run: async ({ query, form_id, filter, limit }, caller) => {
          const matches = await this.submissions.search(
            caller.ownerId,
            form_id ?? null,
            query,
            filter,
            limit,
          );
          return {
            submissions: matches.map((match) => ({
              form_id: match.form_id,
              ...submissionSummary(match),
            })),
          };
        },
      }),
      defineTool({
        name: 'mark_spam',
        title: 'Mark as spam or not spam',
        description:
          'Moves a submission to spam (spam: true, the default) or back to the inbox ' +
          '(spam: false). Recorded in the audit log.',
        scopes: ['submissions:write'],
        input: z.strictObject({
          form_id: formId,
          submission_id: submissionId,
          spam: z.boolean().default(true),
        }),
        readOnly: false,
        usesAi: false,
        untrusted: false,
        run: async ({ form_id, submission_id, spam }, caller) => {
          const submission = await this.submissions.setSpam(
            caller.ownerId,
            form_id,
            submission_id,
            spam,
            caller.client,
          );
          return { submission: { id: submission.id, spam: submission.spam } };
        },
      }),
    ];
  }
}
