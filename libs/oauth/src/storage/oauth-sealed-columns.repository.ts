import { Injectable } from '@nestjs/common';
import type { SealedColumn } from '@intake/common';
import { Prisma, PrismaService } from '@intake/database';
import { oauthRecordPurpose } from './prisma-oauth-adapter';

/** An `oauth_records` row's primary key. */
export interface OAuthRecordKey {
  kind: string;
  key: Uint8Array;
}

/**
 * `oauth_records.sealed_payload` for key rotation (`intake keys rotate`), walked in
 * primary-key order. System context, like the provider's own storage. Expired rows are
 * re-sealed too: until retention deletes them they would keep the old key in use.
 */
@Injectable()
export class OAuthSealedColumns {
  readonly columns: readonly SealedColumn<OAuthRecordKey>[];

  constructor(private readonly prisma: PrismaService) {
    this.columns = [this.payloads()];
  }

  private payloads(): SealedColumn<OAuthRecordKey> {
    return {
      name: 'oauth_records.sealed_payload',
      page: async (after, limit) => {
        const rows = await this.prisma.$queryRaw<(OAuthRecordKey & { sealed: string })[]>`
          SELECT kind, key, sealed_payload AS sealed FROM oauth_records
          ${after === null ? Prisma.empty : Prisma.sql`WHERE (kind, key) > (${after.kind}, ${after.key})`}
          ORDER BY kind, key LIMIT ${limit}`;
        return rows.map(({ kind, key, sealed }) => ({
          key: { kind, key },
          sealed,
          purpose: oauthRecordPurpose(kind),
        }));
      },
      replace: (changes) => this.prisma.$executeRaw`
        UPDATE oauth_records AS r SET sealed_payload = c.next
        FROM (VALUES ${Prisma.join(
          changes.map(
            ({ key, expected, next }) =>
              Prisma.sql`(${key.kind}::text, ${key.key}::bytea, ${expected}::text, ${next}::text)`,
          ),
        )}) AS c (kind, key, expected, next)
        WHERE r.kind = c.kind AND r.key = c.key AND r.sealed_payload = c.expected`,
    };
  }
}
