import { Injectable } from '@nestjs/common';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppError } from '@intake/common';
import { FormsRepository } from '../forms/forms.repository';
import type { CreateKnowledgeBaseInput, UpdateKnowledgeBaseInput } from './knowledge-base.input';
import { toKnowledgeBaseOutput, type KnowledgeBaseOutput } from './knowledge-base.output';
import { KnowledgeBasesRepository } from './knowledge-bases.repository';

/** The texts smart replies draw from. */
@Injectable()
export class KnowledgeBasesService {
  constructor(
    private readonly repository: KnowledgeBasesRepository,
    private readonly forms: FormsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(
    ownerId: string,
    input: CreateKnowledgeBaseInput,
    client: AuditClient,
  ): Promise<KnowledgeBaseOutput> {
    const knowledgeBase = await this.repository.create(ownerId, input);
    await this.audit.record({
      actorId: ownerId,
      action: 'knowledge_base.created',
      target: { type: 'knowledge_base', id: knowledgeBase.id },
      client,
    });
    return toKnowledgeBaseOutput(knowledgeBase);
  }

  async list(ownerId: string): Promise<KnowledgeBaseOutput[]> {
    return (await this.repository.list(ownerId)).map(toKnowledgeBaseOutput);
  }

  async get(ownerId: string, id: string): Promise<KnowledgeBaseOutput> {
    const knowledgeBase = await this.repository.find(ownerId, id);
    if (!knowledgeBase) throw AppError.notFound('Knowledge base');
    return toKnowledgeBaseOutput(knowledgeBase);
  }

  async exists(ownerId: string, id: string): Promise<boolean> {
    return (await this.repository.find(ownerId, id)) !== null;
  }

  async update(
    ownerId: string,
    id: string,
    input: UpdateKnowledgeBaseInput,
    client: AuditClient,
  ): Promise<KnowledgeBaseOutput> {
    const knowledgeBase = await this.repository.update(ownerId, id, input);
    if (!knowledgeBase) throw AppError.notFound('Knowledge base');
    await this.audit.record({
      actorId: ownerId,
      action: 'knowledge_base.updated',
      target: { type: 'knowledge_base', id },
      client,
    });
    return toKnowledgeBaseOutput(knowledgeBase);
  }

  /** Deleting turns smart replies off on the forms that used it, and says which. */
  async delete(
    ownerId: string,
    id: string,
    client: AuditClient,
  ): Promise<{ knowledgeBase: KnowledgeBaseOutput; smartReplyDisabledOn: string[] }> {
    const deleted = await this.repository.delete(ownerId, id, (tx) =>
      this.forms.detachKnowledgeBase(tx, ownerId, id),
    );
    if (!deleted) throw AppError.notFound('Knowledge base');
    const [knowledgeBase, slugs] = deleted;
    await this.audit.record({
      actorId: ownerId,
      action: 'knowledge_base.deleted',
      target: { type: 'knowledge_base', id },
      client,
    });
    return { knowledgeBase: toKnowledgeBaseOutput(knowledgeBase), smartReplyDisabledOn: slugs };
  }
}
