import { Injectable } from '@nestjs/common';
import type { Prisma } from '@intake/database';
import { SubmissionsErasureRepository } from './submissions-erasure.repository';

/** Rows per DELETE: each statement stays well inside the statement timeout. */
const ERASURE_BATCH_SIZE = 1_000;

/** The submissions feature's part of deleting an account, inside the deletion transaction. */
@Injectable()
export class SubmissionsErasure {
  constructor(private readonly repository: SubmissionsErasureRepository) {}

  /**
   * Removes the owner's submissions (with their jobs and deliveries) in bounded batches, so
   * that no single statement cascades through 100k rows, and the idempotency keys the
   * users cascade cannot reach. Returns the ids of the owner's forms, locked until the
   * transaction ends; the forms themselves go with the user row.
   */
  async eraseOwner(tx: Prisma.TransactionClient, ownerId: string): Promise<string[]> {
    const formIds = await this.repository.lockForms(tx, ownerId);
    if (formIds.length === 0) return formIds;
    await this.repository.deleteIdempotencyKeys(tx, formIds);
    let deleted: number;
    do {
      deleted = await this.repository.deleteSubmissions(tx, formIds, ERASURE_BATCH_SIZE);
    } while (deleted === ERASURE_BATCH_SIZE);
    return formIds;
  }
}
