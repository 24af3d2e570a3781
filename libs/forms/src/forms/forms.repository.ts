import { Injectable } from '@nestjs/common';
import { PrismaService, type Form, type FormVersion, type Prisma } from '@intake/database';
import type { FieldsSchema } from '../rules';

/** A form with its current (newest) version. */
export type FormRecord = Form & { versions: FormVersion[] };

/** Form columns, as the service maps them from API names. */
export type FormData = Omit<
  Prisma.FormUncheckedCreateInput,
  'id' | 'userId' | 'createdAt' | 'updatedAt' | 'versions'
>;

const CURRENT_VERSION = {
  versions: { orderBy: { version: 'desc' }, take: 1 },
} satisfies Prisma.FormInclude;

/**
 * A schema as stored on its version. Versions were validated when saved and are immutable;
 * they are not re-validated on read, so a later, stricter validator never breaks an old
 * endpoint.
 */
export function storedFieldsSchema(version: FormVersion): FieldsSchema {
  return version.fieldsSchema as unknown as FieldsSchema;
}

/** FieldsSchema is JSON by construction (zod parsed it from a JSON body). */
function asJson(schema: FieldsSchema): Prisma.InputJsonObject {
  return schema as unknown as Prisma.InputJsonObject;
}

@Injectable()
export class FormsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(ownerId: string, data: FormData, fieldsSchema: FieldsSchema): Promise<FormRecord> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.form.create({
        data: {
          ...data,
          userId: ownerId,
          currentVersion: 1,
          versions: { create: { userId: ownerId, version: 1, fieldsSchema: asJson(fieldsSchema) } },
        },
        include: CURRENT_VERSION,
      }),
    );
  }

  find(ownerId: string, formId: string): Promise<FormRecord | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.form.findFirst({ where: { id: formId, userId: ownerId }, include: CURRENT_VERSION }),
    );
  }

  page(ownerId: string, page: number, pageSize: number): Promise<[FormRecord[], number]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      Promise.all([
        tx.form.findMany({
          where: { userId: ownerId },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: (page - 1) * pageSize,
          take: pageSize,
          include: CURRENT_VERSION,
        }),
        tx.form.count({ where: { userId: ownerId } }),
      ]),
    );
  }

  /** Every form of the owner with all its versions, newest version first (account export). */
  listWithAllVersions(ownerId: string): Promise<FormRecord[]> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.form.findMany({
        where: { userId: ownerId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { versions: { orderBy: { version: 'desc' } } },
      }),
    );
  }

  /** One version of the owner's form, e.g. the one a submission was validated against. */
  findVersion(ownerId: string, formId: string, version: number): Promise<FormVersion | null> {
    return this.prisma.asOwner(ownerId, (tx) =>
      tx.formVersion.findFirst({ where: { formId, version, userId: ownerId } }),
    );
  }

  /** Applies changes; a new schema becomes the next immutable version in the same transaction. */
  update(
    ownerId: string,
    form: FormRecord,
    data: Partial<FormData>,
    newSchema: FieldsSchema | null,
  ): Promise<FormRecord> {
    return this.prisma.asOwner(ownerId, async (tx) => {
      const nextVersion = newSchema ? form.currentVersion + 1 : form.currentVersion;
      if (newSchema) {
        await tx.formVersion.create({
          data: {
            formId: form.id,
            userId: ownerId,
            version: nextVersion,
            fieldsSchema: asJson(newSchema),
          },
        });
      }
      return tx.form.update({
        where: { id: form.id, userId: ownerId },
        data: { ...data, currentVersion: nextVersion },
        include: CURRENT_VERSION,
      });
    });
  }

  /** Deletes the form; its versions, submissions and jobs go with it (ON DELETE CASCADE). */
  async delete(ownerId: string, formId: string): Promise<void> {
    await this.prisma.asOwner(ownerId, (tx) =>
      tx.form.deleteMany({ where: { id: formId, userId: ownerId } }),
    );
  }

  /** Submission counts per form, in one grouped query. */
  async countSubmissions(ownerId: string, formIds: string[]): Promise<Map<string, number>> {
    if (formIds.length === 0) return new Map();
    const rows = await this.prisma.asOwner(ownerId, (tx) =>
      tx.submission.groupBy({
        by: ['formId'],
        where: { formId: { in: formIds }, userId: ownerId },
        _count: { _all: true },
      }),
    );
    return new Map(rows.map((row) => [row.formId, row._count._all]));
  }

  /** Turns smart replies off on every form using the knowledge base; returns their slugs. */
  async detachKnowledgeBase(
    tx: Prisma.TransactionClient,
    ownerId: string,
    knowledgeBaseId: string,
  ): Promise<string[]> {
    const using = await tx.form.findMany({
      where: { userId: ownerId, knowledgeBaseId, smartReplyEnabled: true },
      select: { slug: true },
      orderBy: { slug: 'asc' },
    });
    await tx.form.updateMany({
      where: { userId: ownerId, knowledgeBaseId },
      data: { smartReplyEnabled: false, knowledgeBaseId: null },
    });
    return using.map((form) => form.slug);
  }

  /** System context: the public endpoint knows only the version id from its opaque segment. */
  findVersionWithForm(versionId: string): Promise<(FormVersion & { form: Form }) | null> {
    return this.prisma.formVersion.findUnique({
      where: { id: versionId },
      include: { form: true },
    });
  }
}
