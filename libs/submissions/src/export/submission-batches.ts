import type { Submission } from '@intake/database';
import type { SubmissionFilters } from '../submissions.query';
import type { ExportCursor, SubmissionsRepository } from '../submissions.repository';

/** Rows per keyset query: large enough to amortise the round trip, small enough to hold. */
export const EXPORT_BATCH_SIZE = 500;

/**
 * Every matching submission, oldest first, one keyset batch at a time. Only the current
 * batch is ever held, and a consumer that stops pulling (a closed download) stops the queries.
 */
export async function* submissionsInBatches(
  repository: SubmissionsRepository,
  ownerId: string,
  formId: string,
  filters: SubmissionFilters,
): AsyncGenerator<Submission> {
  let after: ExportCursor | null = null;
  for (;;) {
    const batch = await repository.batchAfter(ownerId, formId, filters, after, EXPORT_BATCH_SIZE);
    yield* batch;
    const last = batch.at(-1);
    if (!last || batch.length < EXPORT_BATCH_SIZE) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}
