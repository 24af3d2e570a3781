import { Injectable } from '@nestjs/common';
import { PrismaService, type Destination, type TenantTransaction } from '@intake/database';
import { DISABLE_AFTER_FAILED_DELIVERIES } from './delivery-policy';

/** What one attempt produced, as the delivery log shows it. */
export interface AttemptResult {
  /** HTTP status, when a response arrived. */
  status: number | null;
  latencyMs: number | null;
  /** `<reason>: <message>`; null on success. */
  error: string | null;
  /** The start of the response body. */
  response: string | null;
}

export interface AttemptRef {
  deliveryId: string;
  destinationId: string;
  attempt: number;
}

/**
 * Writes an attempt's outcome together with its consequences, in one transaction: the
 * attempt is in the log before the next one is scheduled, and a destination's failure
 * count moves exactly once per finished delivery. System context (the worker).
 */
@Injectable()
export class DeliveryOutcomesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async delivered(ref: AttemptRef, result: AttemptResult): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.writeAttempt(tx, ref, result);
      await tx.delivery.update({
        where: { id: ref.deliveryId },
        data: { status: 'delivered', lockedUntil: null },
      });
      // A success ends the run of consecutive failures; it does not re-enable.
      await tx.destination.update({
        where: { id: ref.destinationId },
        data: { failureCount: 0, lastDeliveredAt: new Date() },
      });
    });
  }

  async retryLater(ref: AttemptRef, result: AttemptResult, delayMs: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.writeAttempt(tx, ref, result);
      await tx.delivery.update({
        where: { id: ref.deliveryId },
        data: { nextAttemptAt: new Date(Date.now() + delayMs), lockedUntil: null },
      });
    });
  }

  /**
   * The delivery's last attempt failed. Returns the destination when this failure is the
   * one that disabled it (so the caller audits and e-mails once), else null.
   */
  failed(ref: AttemptRef, result: AttemptResult): Promise<Destination | null> {
    return this.prisma.$transaction(async (tx) => {
      await this.writeAttempt(tx, ref, result);
      await tx.delivery.update({
        where: { id: ref.deliveryId },
        data: { status: 'failed', lockedUntil: null },
      });
      // Locked so that two deliveries failing at once both count and only one disables.
      const [row] = await tx.$queryRaw<{ failure_count: number; enabled: boolean }[]>`
        SELECT failure_count, enabled FROM destinations WHERE id = ${ref.destinationId}::uuid FOR UPDATE`;
      if (!row) return null;
      const failureCount = row.failure_count + 1;
      const disable = row.enabled && failureCount >= DISABLE_AFTER_FAILED_DELIVERIES;
      const destination = await tx.destination.update({
        where: { id: ref.destinationId },
        data: {
          failureCount,
          lastError: result.error?.slice(0, 500) ?? null,
          ...(disable ? { enabled: false, disabledAt: new Date() } : {}),
        },
      });
      return disable ? destination : null;
    });
  }

  async ownerEmail(userId: string): Promise<string | null> {
    const user = await this.prisma.user.findUnique({
      where: { id: userId },
      select: { email: true },
    });
    return user?.email ?? null;
  }

  private async writeAttempt(
    tx: TenantTransaction,
    ref: AttemptRef,
    result: AttemptResult,
  ): Promise<void> {
    await tx.deliveryAttempt.update({
      where: { deliveryId_attempt: { deliveryId: ref.deliveryId, attempt: ref.attempt } },
      data: {
        status: result.status,
        latencyMs: result.latencyMs,
        error: result.error?.slice(0, 500) ?? null,
        response: result.response,
      },
    });
  }
}
