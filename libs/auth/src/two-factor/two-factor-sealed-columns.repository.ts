import { Injectable } from '@nestjs/common';
import type { SealedColumn } from '@intake/common';
import { Prisma, PrismaService } from '@intake/database';
import { BACKUP_CODES_PURPOSE, TOTP_SECRET_PURPOSE } from './two-factor-purposes';

type TwoFactorColumn = 'totp_secret' | 'backup_codes';

/**
 * The users table's sealed 2FA columns, for key rotation (`intake keys rotate`). System
 * context: rotation walks every owner's row, as retention does. The raw UPDATE leaves
 * `updated_at` alone: a new ciphertext of the same secret is not a change to the account.
 */
@Injectable()
export class TwoFactorSealedColumns {
  readonly columns: readonly SealedColumn<string>[];

  constructor(private readonly prisma: PrismaService) {
    this.columns = [
      this.column('totp_secret', TOTP_SECRET_PURPOSE),
      this.column('backup_codes', BACKUP_CODES_PURPOSE),
    ];
  }

  private column(name: TwoFactorColumn, purpose: string): SealedColumn<string> {
    // One of two constants above, never input.
    const column = Prisma.raw(name);
    return {
      name: `users.${name}`,
      page: async (after, limit) => {
        const rows = await this.prisma.$queryRaw<{ id: string; sealed: string }[]>`
          SELECT id::text AS id, ${column} AS sealed FROM users
          WHERE ${column} IS NOT NULL
            ${after === null ? Prisma.empty : Prisma.sql`AND id > ${after}::uuid`}
          ORDER BY id LIMIT ${limit}`;
        return rows.map((row) => ({ key: row.id, sealed: row.sealed, purpose }));
      },
      replace: (changes) => this.prisma.$executeRaw`
        UPDATE users AS u SET ${column} = c.next
        FROM (VALUES ${Prisma.join(
          changes.map(
            (change) =>
              Prisma.sql`(${change.key}::uuid, ${change.expected}::text, ${change.next}::text)`,
          ),
        )}) AS c (id, expected, next)
        WHERE u.id = c.id AND u.${column} = c.expected`,
    };
  }
}
