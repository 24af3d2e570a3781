import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, type Submission } from '@intake/database';
import type { ListSubmissionsQuery, SubmissionFilters } from './submissions.query';

/** The WHERE clause of a listing or export: always the owner and the form first. */
function whereOf(ownerId: string, formId: string, filters: SubmissionFilters): Prisma.Sql {
  const conditions = [
    Prisma.sql`user_id = ${ownerId}::uuid`,
    Prisma.sql`form_id = ${formId}::uuid`,
  ];
  if (filters.filter !== 'all') conditions.push(Prisma.sql`spam = ${filters.filter === 'spam'}`);
  if (filters.processing_status)
    conditions.push(
      Prisma.sql`processing_status = ${filters.processing_status}::"ProcessingStatus"`,
    );
  if (filters.reply_status)
    conditions.push(Prisma.sql`reply_status = ${filters.reply_status}::"ReplyStatus"`);
  // Matches the expression index submissions_search_idx; websearch syntax never raises on user input.
  if (filters.search)
    conditions.push(
      Prisma.sql`to_tsvector('simple', data) @@ websearch_to_tsquery('simple', ${filters.search})`,
    );
  return Prisma.join(conditions, ' AND ');
}

/** Raw rows use column names; map them back to the Prisma model. */
interface SubmissionRow {
  id: string;
  form_id: string;
  user_id: string;
  form_version_id: string;
  form_version: number;
  data: Prisma.JsonValue;
  processing_status: Submission['processingStatus'];
  processing_reason: string | null;
  spam: boolean;
  spam_confidence: number | null;
  spam_reason: string | null;
  detected_language: string | null;
  translated_data: Prisma.JsonValue | null;
  reply_status: Submission['replyStatus'];
  reply_subject: string | null;
  reply_content: string | null;
  replied_at: Date | null;
  owner_notified_at: Date | null;
  metadata: Prisma.JsonValue;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: SubmissionRow): Submission {
  return {
    id: row.id,
    formId: row.form_id,
    userId: row.user_id,
    formVersionId: row.form_version_id,
    formVersion: row.form_version,
    data: row.data ?? null,
    processingStatus: row.processing_status,
    processingReason: row.processing_reason,
    spam: row.spam,
    spamConfidence: row.spam_confidence,
    spamReason: row.spam_reason,
    detectedLanguage: row.detected_language,
    translatedData: row.translated_data,
    replyStatus: row.reply_status,
    replySubject: row.reply_subject,
    replyContent: row.reply_content,
    repliedAt: row.replied_at,
    ownerNotifiedAt: row.owner_notified_at,
    metadata: row.metadata ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ExportCursor {
  createdAt: Date;
  id: string;
}

@Injectable()
export class SubmissionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  page(
    ownerId: string,
    formId: string,
    query: ListSubmissionsQuery,
  ): Promise<[Submission[], number]> {
    const where = whereOf(ownerId, formId, query);
    const direction = query.sort_order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
    // uuid v7 ids are time-ordered, so both sorts stay index-friendly; id breaks created_at ties.
    const order =
      query.sort_by === 'id'
        ? Prisma.sql`id ${direction}`
        : Prisma.sql`created_at ${direction}, id ${direction}`;
    return this.prisma.asOwner(ownerId, async (tx) => {
      const rows = await tx.$queryRaw<SubmissionRow[]>`
        SELECT * FROM submissions WHERE ${where} ORDER BY ${order}
        LIMIT ${query.page_size} OFFSET ${(query.page - 1) * query.page_size}`;
      const [count] = await tx.$queryRaw<
        { total: number }[]
      >`SELECT count(*)::int AS total FROM submissions WHERE ${where}`;
      return [rows.map(fromRow), count?.total ?? 0];
    });
  }

  /** Keyset batches for export: constant memory whatever the number of rows. */
  batchAfter(
    ownerId: string,
    formId: string,
    filters: SubmissionFilters,
    after: ExportCursor | null,
    size: number,
  ): Promise<Submission[]> {
    const where = whereOf(ownerId, formId, filters);
    const cursor = after
      ? Prisma.sql`AND (created_at, id) > (${after.createdAt}, ${after.id}::uuid)`
      : Prisma.empty;
    return this.prisma.asOwner(ownerId, async (tx) =>
      (
        await tx.$queryRaw<
          SubmissionRow[]
        >`SELECT * FROM submissions WHERE ${where} ${cursor} ORDER BY created_at ASC, id ASC LIMIT ${size}`
      ).map(fromRow),
    );
  }

  find(ownerId: string, formId: string, id: string): Promise<Submission | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.submission.findFirst({ where: { id, formId, userId: ownerId } }),
    );
  }

  async delete(ownerId: string, formId: string, id: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.submission.deleteMany({ where: { id, formId, userId: ownerId } }),
    );
  }

  async setSpam(
    ownerId: string,
    formId: string,
    id: string,
    spam: boolean,
  ): Promise<Submission | null> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const { count } = await tx.submission.updateMany({
        where: { id, formId, userId: ownerId },
        data: { spam },
      });
      return count ? tx.submission.findFirst({ where: { id, formId, userId: ownerId } }) : null;
    });
  }
}
