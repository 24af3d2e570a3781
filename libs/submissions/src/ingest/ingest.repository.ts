import { Injectable } from '@nestjs/common';
import { PrismaService, type Submission } from '@intake/database';
import type { SubmissionMetadata } from './submission-metadata';

export interface NewSubmission {
  id: string;
  formId: string;
  ownerId: string;
  formVersionId: string;
  formVersion: number;
  data: Record<string, unknown>;
  spam: boolean;
  spamConfidence: number | null;
  spamReason: string | null;
  metadata: SubmissionMetadata;
}

export interface IdempotencyClaim {
  key: string;
  requestHash: Buffer<ArrayBuffer>;
}

/**
 * The ingest write. One SQL statement inserts the submission, its processing job and (when
 * sent) the idempotency key: a single statement is atomic, so the 201 is only sent once all
 * of them are durable, and it costs one round trip. With a key, nothing is inserted when
 * the key already exists (the caller then replays or refuses).
 */
@Injectable()
export class IngestRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** True when stored; false when the idempotency key was already used. */
  async insert(
    submission: NewSubmission,
    claim: IdempotencyClaim | null,
  ): Promise<{ createdAt: Date } | null> {
    const s = submission;
    const rows = await this.prisma.$queryRaw<{ created_at: Date }[]>`
      WITH claim AS (
        INSERT INTO idempotency_keys (form_id, key, request_hash, submission_id)
        SELECT ${s.formId}::uuid, ${claim?.key ?? ''}, ${claim?.requestHash ?? Buffer.alloc(0)}, ${s.id}::uuid
        WHERE ${claim !== null}
        ON CONFLICT (form_id, key) DO NOTHING
        RETURNING 1
      ), inserted AS (
        INSERT INTO submissions (id, form_id, user_id, form_version_id, form_version, data, spam, spam_confidence, spam_reason, metadata)
        SELECT ${s.id}::uuid, ${s.formId}::uuid, ${s.ownerId}::uuid, ${s.formVersionId}::uuid, ${s.formVersion},
               ${JSON.stringify(s.data)}::jsonb, ${s.spam}, ${s.spamConfidence}::double precision, ${s.spamReason}, ${JSON.stringify(s.metadata)}::jsonb
        WHERE ${claim === null} OR EXISTS (SELECT 1 FROM claim)
        RETURNING id, created_at
      ), job AS (
        INSERT INTO submission_jobs (id, submission_id) SELECT gen_random_uuid(), id FROM inserted
      )
      SELECT created_at FROM inserted`;
    const [row] = rows;
    return row ? { createdAt: row.created_at } : null;
  }

  findClaim(
    formId: string,
    key: string,
  ): Promise<{ requestHash: Uint8Array; submission: Submission | null } | null> {
    return this.prisma.idempotencyKey
      .findUnique({ where: { formId_key: { formId, key } } })
      .then(async (claim) =>
        claim
          ? {
              requestHash: claim.requestHash,
              submission: await this.prisma.submission.findUnique({
                where: { id: claim.submissionId },
              }),
            }
          : null,
      );
  }
}
