import { Injectable } from '@nestjs/common';
import {
  isUniqueViolation,
  PrismaService,
  type Delivery,
  type Destination,
  type Form,
  type FormVersion,
  type Submission,
} from '@intake/database';
import { newEventId } from './delivery-policy';

export interface ClaimedDelivery {
  id: string;
  /** Attempts in the current round, including this one (a redelivery starts a new round). */
  attempts: number;
}

export type DeliveryContext = Delivery & {
  destination: Destination;
  submission: Submission & { form: Form; version: FormVersion };
};

/** Marks an attempt whose outcome was never recorded (the worker died mid-send). */
export const INTERRUPTED_ATTEMPT = 'interrupted: The attempt ended before its outcome was recorded';

/**
 * The delivery queue, in the system context (the worker acts for every owner). Same design
 * as the submission queue (JobQueueRepository): a lease in `locked_until` instead of a
 * sweeper for crashed workers, `FOR UPDATE SKIP LOCKED` between concurrent workers.
 */
@Injectable()
export class DeliveryQueueRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * One delivery per enabled destination of the submission's form; spam only to those that
   * opted in. Idempotent: the unique (destination_id, submission_id) makes a second call
   * (a re-processed submission) a no-op. Returns how many were created.
   */
  async enqueue(submissionId: string): Promise<number> {
    const submission = await this.prisma.submission.findUnique({ where: { id: submissionId } });
    if (!submission) return 0;
    const destinations = await this.prisma.destination.findMany({
      where: {
        formId: submission.formId,
        enabled: true,
        ...(submission.spam ? { includeSpam: true } : {}),
      },
      select: { id: true, userId: true },
    });
    if (destinations.length === 0) return 0;
    const { count } = await this.prisma.delivery.createMany({
      data: destinations.map((destination) => ({
        userId: destination.userId,
        destinationId: destination.id,
        submissionId,
        eventId: newEventId(),
      })),
      skipDuplicates: true,
    });
    return count;
  }

  /** Due deliveries of enabled destinations: a disabled destination's pending ones wait. */
  async claim(batchSize: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.prisma.$queryRaw<ClaimedDelivery[]>`
      WITH due AS (
        SELECT delivery.id FROM deliveries AS delivery
        JOIN destinations AS destination ON destination.id = delivery.destination_id
        WHERE delivery.status = 'pending' AND delivery.next_attempt_at <= now()
          AND (delivery.locked_until IS NULL OR delivery.locked_until < now())
          AND destination.enabled
        ORDER BY delivery.next_attempt_at
        LIMIT ${batchSize}
        FOR UPDATE OF delivery SKIP LOCKED
      )
      UPDATE deliveries AS delivery
      SET locked_until = now() + ${leaseMs} * interval '1 millisecond',
          attempts = delivery.attempts + 1, updated_at = now()
      FROM due WHERE delivery.id = due.id
      RETURNING delivery.id, delivery.attempts`;
  }

  /** Deliveries still to send, due or backing off (the `(status, next_attempt_at)` index). */
  pendingCount(): Promise<number> {
    return this.prisma.delivery.count({ where: { status: 'pending' } });
  }

  load(deliveryId: string): Promise<DeliveryContext | null> {
    return this.prisma.delivery.findUnique({
      where: { id: deliveryId },
      include: { destination: true, submission: { include: { form: true, version: true } } },
    });
  }

  /** Gives a claim back unused (its destination was disabled after the claim). */
  async release(deliveryId: string): Promise<void> {
    await this.prisma.delivery.update({
      where: { id: deliveryId },
      data: { attempts: { decrement: 1 }, lockedUntil: null },
    });
  }

  /**
   * Records the attempt BEFORE it is sent, under the next number of the delivery's log.
   * The unique (delivery_id, attempt) lets only one worker hold a number, so an attempt
   * number is never sent twice; null means another worker holds it and this one must not
   * send. The placeholder error stays only if the outcome is never recorded.
   */
  async reserveAttempt(delivery: Delivery): Promise<number | null> {
    const last = await this.prisma.deliveryAttempt.aggregate({
      where: { deliveryId: delivery.id },
      _max: { attempt: true },
    });
    const attempt = (last._max.attempt ?? 0) + 1;
    try {
      await this.prisma.deliveryAttempt.create({
        data: {
          userId: delivery.userId,
          deliveryId: delivery.id,
          attempt,
          error: INTERRUPTED_ATTEMPT,
        },
      });
      return attempt;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }
}
