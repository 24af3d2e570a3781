import { Injectable } from '@nestjs/common';
import { PrismaService } from '@intake/database';

export interface ClaimedJob {
  id: string;
  submissionId: string;
  /** Including this one. */
  attempts: number;
}

/**
 * The processing queue is the `submission_jobs` outbox the ingest statement writes. Jobs
 * are claimed with a lease (`locked_until`): a worker that dies mid-job simply lets the
 * lease run out and another worker claims the job again, so no separate sweeper is needed
 * for crashed work, and `FOR UPDATE SKIP LOCKED` keeps concurrent workers off each other's
 * rows. Processing is therefore at-least-once; steps must be idempotent.
 */
@Injectable()
export class JobQueueRepository {
  constructor(private readonly prisma: PrismaService) {}

  async claim(batchSize: number, leaseMs: number): Promise<ClaimedJob[]> {
    const rows = await this.prisma.$queryRaw<
      { id: string; submission_id: string; attempts: number }[]
    >`
      WITH due AS (
        SELECT id FROM submission_jobs
        WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
        ORDER BY run_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE submission_jobs AS job
        SET locked_until = now() + ${leaseMs} * interval '1 millisecond', attempts = job.attempts + 1
        FROM due WHERE job.id = due.id
        RETURNING job.id, job.submission_id, job.attempts
      ), marked AS (
        UPDATE submissions SET processing_status = 'processing', updated_at = now()
        FROM claimed WHERE submissions.id = claimed.submission_id AND submissions.processing_status = 'pending'
      )
      SELECT id, submission_id, attempts FROM claimed`;
    return rows.map((row) => ({
      id: row.id,
      submissionId: row.submission_id,
      attempts: row.attempts,
    }));
  }

  /** Done: the job row goes; the submission's final status was written by the processor. */
  async complete(jobId: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM submission_jobs WHERE id = ${jobId}::uuid`;
  }

  async retryLater(jobId: string, delayMs: number, error: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE submission_jobs
      SET run_at = now() + ${delayMs} * interval '1 millisecond', locked_until = NULL, last_error = ${error.slice(0, 1000)}
      WHERE id = ${jobId}::uuid`;
  }

  /** Jobs waiting or running: a gauge for operators and a readiness hint for tests. */
  async depth(): Promise<number> {
    const [row] = await this.prisma.$queryRaw<
      { depth: number }[]
    >`SELECT count(*)::int AS depth FROM submission_jobs`;
    return row?.depth ?? 0;
  }
}
