import { keysetBatches } from '@intake/common';
import type { Submission } from '@intake/database';
import type { SubmissionFilters } from '../submissions.query';
import type { ExportCursor, SubmissionsRepository } from '../submissions.repository';

/** Rows per keyset query: large enough to amortise the round trip, small enough to hold. */
export const EXPORT_BATCH_SIZE = 500;

/** Every matching submission, oldest first, one keyset batch at a time (see keysetBatches). */
export function submissionsInBatches(
  repository: SubmissionsRepository,
  ownerId: string,
  formId: string,
  filters: SubmissionFilters,
): AsyncGenerator<Submission> {
  return keysetBatches<Submission, ExportCursor>(
    (after, size) => repository.batchAfter(ownerId, formId, filters, after, size),
    (submission) => ({ createdAt: submission.createdAt, id: submission.id }),
    EXPORT_BATCH_SIZE,
  );
}
