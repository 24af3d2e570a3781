import { Injectable } from '@nestjs/common';
import type { Prisma } from '@intake/database';

/**
 * Account deletion's statements for submissions, run in the caller's (system-context)
 * transaction: the account's rows are all going, whoever would otherwise see them.
 */
@Injectable()
export class SubmissionsErasureRepository {
  /**
   * Locks the owner's forms until the transaction ends and returns their ids. FOR UPDATE
   * conflicts with the FOR KEY SHARE an ingest's foreign-key check takes: a submission
   * still being stored commits first (and the next statements see it), and a new one waits
   * for the deletion, then fails with its form gone.
   */
  async lockForms(tx: Prisma.TransactionClient, ownerId: string): Promise<string[]> {
    const forms = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM forms WHERE user_id = ${ownerId}::uuid FOR UPDATE`;
    return forms.map((form) => form.id);
  }

  /** Idempotency keys have no foreign key to their form: the users cascade would miss them. */
  async deleteIdempotencyKeys(tx: Prisma.TransactionClient, formIds: string[]): Promise<void> {
    await tx.idempotencyKey.deleteMany({ where: { formId: { in: formIds } } });
  }

  /** At most `limit` submissions (their jobs and deliveries cascade); returns how many went. */
  deleteSubmissions(
    tx: Prisma.TransactionClient,
    formIds: string[],
    limit: number,
  ): Promise<number> {
    return tx.$executeRaw`
      DELETE FROM submissions WHERE id IN (
        SELECT id FROM submissions WHERE form_id = ANY(${formIds}::uuid[]) LIMIT ${limit}
      )`;
  }
}
