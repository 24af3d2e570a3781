import { Injectable } from '@nestjs/common';
import { PrismaService } from '@intake/database';

/** The 2FA columns of the owner's user row; every write is owner-scoped. */
@Injectable()
export class TwoFactorRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Starts (or restarts) an enrolment: a new sealed seed, not active yet. */
  async setPendingSecret(ownerId: string, sealedSecret: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({
        where: { id: ownerId, totpEnabledAt: null },
        data: { totpSecret: sealedSecret, totpLastStep: null, backupCodes: null },
      }),
    );
  }

  async enable(ownerId: string, sealedBackupCodes: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({
        where: { id: ownerId, totpEnabledAt: null, totpSecret: { not: null } },
        data: { totpEnabledAt: at, backupCodes: sealedBackupCodes },
      }),
    );
    return count === 1;
  }

  async disable(ownerId: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({
        where: { id: ownerId },
        data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null, backupCodes: null },
      }),
    );
  }

  /**
   * Records `step` as the last accepted TOTP time step, only if it is later than the one
   * recorded: of two requests with the same code, exactly one gets true (replay refusal
   * that holds across processes, not just in this one).
   */
  async claimStep(ownerId: string, step: number): Promise<boolean> {
    const count = await this.prisma.asOwner(
      ownerId,
      (tx) => tx.$executeRaw`
        UPDATE users SET totp_last_step = ${step}
        WHERE id = ${ownerId}::uuid AND (totp_last_step IS NULL OR totp_last_step < ${step})`,
    );
    return count === 1;
  }

  /**
   * Replaces the sealed backup-code list only if it is still `expected` (compare-and-set),
   * so two sign-ins racing with the same code cannot both spend it.
   */
  async replaceBackupCodes(ownerId: string, expected: string, next: string): Promise<boolean> {
    const { count } = await this.prisma.asOwner(ownerId, (tx) =>
      tx.user.updateMany({
        where: { id: ownerId, backupCodes: expected },
        data: { backupCodes: next },
      }),
    );
    return count === 1;
  }
}
