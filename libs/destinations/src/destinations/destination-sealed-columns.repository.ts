import { Injectable } from '@nestjs/common';
import type { SealedColumn } from '@intake/common';
import { Prisma, PrismaService } from '@intake/database';
import { webhookSecretPurpose } from './webhook-secrets';

/**
 * `destinations.secret_sealed` for key rotation (`intake keys rotate`). System context:
 * rotation walks every owner's destinations, as retention does. The raw UPDATE leaves
 * `updated_at` alone: the secret itself does not change, receivers notice nothing.
 */
@Injectable()
export class DestinationSealedColumns {
  readonly columns: readonly SealedColumn<string>[];

  constructor(private readonly prisma: PrismaService) {
    this.columns = [this.webhookSecrets()];
  }

  private webhookSecrets(): SealedColumn<string> {
    return {
      name: 'destinations.secret_sealed',
      page: async (after, limit) => {
        const rows = await this.prisma.$queryRaw<{ id: string; sealed: string }[]>`
          SELECT id::text AS id, secret_sealed AS sealed FROM destinations
          WHERE secret_sealed IS NOT NULL
            ${after === null ? Prisma.empty : Prisma.sql`AND id > ${after}::uuid`}
          ORDER BY id LIMIT ${limit}`;
        return rows.map((row) => ({
          key: row.id,
          sealed: row.sealed,
          purpose: webhookSecretPurpose(row.id),
        }));
      },
      replace: (changes) => this.prisma.$executeRaw`
        UPDATE destinations AS d SET secret_sealed = c.next
        FROM (VALUES ${Prisma.join(
          changes.map(
            (change) =>
              Prisma.sql`(${change.key}::uuid, ${change.expected}::text, ${change.next}::text)`,
          ),
        )}) AS c (id, expected, next)
        WHERE d.id = c.id AND d.secret_sealed = c.expected`,
    };
  }
}
