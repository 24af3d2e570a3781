import { z } from 'zod';
import { paginationQuery } from '@intake/common';

/** Filters shared by listing and export (API.md, "Submissions"). */
export const submissionFilters = z.object({
  filter: z.enum(['inbox', 'spam', 'all']).default('inbox'),
  search: z.string().trim().min(1).max(200).optional(),
  reply_status: z
    .enum([
      'awaiting_review',
      'awaiting_delivery',
      'delivered',
      'needs_human_reply',
      'delivery_failed',
      'skipped',
    ])
    .optional(),
  processing_status: z.enum(['pending', 'processing', 'completed', 'failed']).optional(),
});
export type SubmissionFilters = z.output<typeof submissionFilters>;

export const listSubmissionsQuery = paginationQuery(50).extend({
  ...submissionFilters.shape,
  sort_by: z.enum(['created_at', 'id']).default('created_at'),
  sort_order: z.enum(['desc', 'asc']).default('desc'),
});
export type ListSubmissionsQuery = z.output<typeof listSubmissionsQuery>;

export const exportSubmissionsQuery = submissionFilters.extend({
  format: z.enum(['csv', 'ndjson']).default('csv'),
});
export type ExportSubmissionsQuery = z.output<typeof exportSubmissionsQuery>;

export const updateSubmissionInput = z.strictObject({ spam: z.boolean() });
export type UpdateSubmissionInput = z.output<typeof updateSubmissionInput>;
