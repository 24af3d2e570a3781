import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, type ReplyStatus, type Submission } from '@intake/database';
import type { ListSubmissionsQuery, SubmissionFilters } from './submissions.query';

/**
 * The WHERE clause of a listing, search or export: always the owner first, then the form
 * (null only for a search across all of the owner's forms).
 */
function whereOf(ownerId: string, formId: string | null, filters: SubmissionFilters): Prisma.Sql {
  const conditions = [Prisma.sql`user_id = ${ownerId}::uuid`];
  if (formId !== null) conditions.push(Prisma.sql`form_id = ${formId}::uuid`);
  if (filters.filter !== 'all') conditions.push(Prisma.sql`spam = ${filters.filter === 'spam'}`);
  if (filters.processing_status)
    conditions.push(
      Prisma.sql`processing_status = ${filters.processing_status}::"ProcessingStatus"`,
    );
  if (filters.reply_status)
    conditions.push(Prisma.sql`reply_status = ${filters.reply_status}::"ReplyStatus"`);
  // search_vector is the stored to_tsvector('simple', data); websearch syntax never raises
  // on user input.
  if (filters.search)
    conditions.push(Prisma.sql`search_vector @@ websearch_to_tsquery('simple', ${filters.search})`);
  return Prisma.join(conditions, ' AND ');
}

/**
 * Filtering, search and keyset paging need SQL Prisma cannot express, so those queries pick
 * ids and Prisma loads the rows: the model's mapping stays Prisma's, in one place.
 */
async function loadInOrder(
  tx: Prisma.TransactionClient,
  ids: readonly { id: string }[],
): Promise<Submission[]> {
  if (ids.length === 0) return [];
  const rows = await tx.submission.findMany({ where: { id: { in: ids.map((row) => row.id) } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((row) => byId.get(row.id)).filter((row): row is Submission => row !== undefined);
}

/** Counts over an owner's submissions (one form's, or all of them). */
export interface SubmissionCounts {
  total: number;
  spam: number;
  replies: Partial<Record<ReplyStatus, number>>;
  firstAt: Date | null;
  lastAt: Date | null;
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
      const ids = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM submissions WHERE ${where} ORDER BY ${order}
        LIMIT ${query.page_size} OFFSET ${(query.page - 1) * query.page_size}`;
      const [count] = await tx.$queryRaw<
        { total: number }[]
      >`SELECT count(*)::int AS total FROM submissions WHERE ${where}`;
      return [await loadInOrder(tx, ids), count?.total ?? 0];
    });
  }

  /** The newest matches of a full-text search, in one form or across all of the owner's. */
  search(
    ownerId: string,
    formId: string | null,
    filters: SubmissionFilters,
    limit: number,
  ): Promise<Submission[]> {
    const where = whereOf(ownerId, formId, filters);
    return this.prisma.asOwner(ownerId, async (tx) =>
      loadInOrder(
        tx,
        await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM submissions WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      ),
    );
  }

  counts(ownerId: string, formId: string | null): Promise<SubmissionCounts> {
    const where = { userId: ownerId, ...(formId !== null ? { formId } : {}) };
    return this.prisma.asOwner(ownerId, async (tx) => {
      const all = await tx.submission.aggregate({
        where,
        _count: { _all: true },
        _min: { createdAt: true },
        _max: { createdAt: true },
      });
      const spam = await tx.submission.count({ where: { ...where, spam: true } });
      const replies = await tx.submission.groupBy({
        by: ['replyStatus'],
        where: { ...where, replyStatus: { not: null } },
        _count: { _all: true },
      });
      return {
        total: all._count._all,
        spam,
        replies: Object.fromEntries(replies.map((group) => [group.replyStatus, group._count._all])),
        firstAt: all._min.createdAt,
        lastAt: all._max.createdAt,
      };
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
      loadInOrder(
        tx,
        await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM submissions WHERE ${where} ${cursor} ORDER BY created_at ASC, id ASC LIMIT ${size}`,
      ),
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
