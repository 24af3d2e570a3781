import { Injectable } from '@nestjs/common';
import { sha256 } from '@intake/common';
import { PrismaService, type OAuthRecord } from '@intake/database';

export interface OAuthRecordWrite {
  sealedPayload: string;
  userId: string | null;
  clientId: string | null;
  grantId: string | null;
  uid: string | null;
  expiresAt: Date | null;
}

/**
 * The provider's storage. System context: the provider looks artefacts up by their id (a
 * bearer value) before anyone is known, like sessions and API keys. Rows are keyed by the
 * SHA-256 of that id; the payload, which repeats it, is sealed by the adapter.
 */
@Injectable()
export class OAuthRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async upsert(kind: string, id: string, write: OAuthRecordWrite): Promise<void> {
    const key = sha256(id);
    await this.prisma.oAuthRecord.upsert({
      where: { kind_key: { kind, key } },
      create: { kind, key, ...write },
      update: write,
    });
  }

  /** The live row: expired rows read as absent until the retention job deletes them. */
  find(kind: string, id: string): Promise<OAuthRecord | null> {
    return this.prisma.oAuthRecord.findFirst({
      where: {
        kind,
        key: sha256(id),
        OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
      },
    });
  }

  findByUid(kind: string, uid: string): Promise<OAuthRecord | null> {
    return this.prisma.oAuthRecord.findFirst({
      where: { kind, uid, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    });
  }

  async consume(kind: string, id: string): Promise<void> {
    await this.prisma.oAuthRecord.updateMany({
      where: { kind, key: sha256(id), consumedAt: null },
      data: { consumedAt: new Date() },
    });
  }

  async destroy(kind: string, id: string): Promise<void> {
    await this.prisma.oAuthRecord.deleteMany({ where: { kind, key: sha256(id) } });
  }

  async deleteByGrant(kind: string, grantId: string): Promise<void> {
    await this.prisma.oAuthRecord.deleteMany({ where: { kind, grantId } });
  }

  /** One bounded batch (the retention job repeats it); `ctid` as the table's key is composite. */
  deleteExpiredBefore(cutoff: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM oauth_records WHERE ctid IN (
        SELECT ctid FROM oauth_records WHERE expires_at < ${cutoff} LIMIT ${limit})`;
  }
}
