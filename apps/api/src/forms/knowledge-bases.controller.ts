import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { uuidParam, ZodValidationPipe } from '@intake/common';
import {
  createKnowledgeBaseInput,
  KnowledgeBasesService,
  updateKnowledgeBaseInput,
  type CreateKnowledgeBaseInput,
  type KnowledgeBaseOutput,
  type UpdateKnowledgeBaseInput,
} from '@intake/forms';

const knowledgeBaseId = uuidParam('Knowledge base');

@Controller('api/knowledge_bases')
export class KnowledgeBasesController {
  constructor(private readonly knowledgeBases: KnowledgeBasesService) {}

  @Post()
  @ApiKeyAuth('knowledge_bases:write')
  async create(
    @OwnerId() ownerId: string,
    @Body(new ZodValidationPipe(createKnowledgeBaseInput)) input: CreateKnowledgeBaseInput,
    @Client() client: ClientContext,
  ): Promise<{ knowledge_base: KnowledgeBaseOutput }> {
    return { knowledge_base: await this.knowledgeBases.create(ownerId, input, client) };
  }

  @Get()
  @ApiKeyAuth('knowledge_bases:read')
  async list(@OwnerId() ownerId: string): Promise<{ knowledge_bases: KnowledgeBaseOutput[] }> {
    return { knowledge_bases: await this.knowledgeBases.list(ownerId) };
  }

  @Get(':id')
  @ApiKeyAuth('knowledge_bases:read')
  async get(
    @OwnerId() ownerId: string,
    @Param('id', knowledgeBaseId) id: string,
  ): Promise<{ knowledge_base: KnowledgeBaseOutput }> {
    return { knowledge_base: await this.knowledgeBases.get(ownerId, id) };
  }

  @Put(':id')
  @ApiKeyAuth('knowledge_bases:write')
  async update(
    @OwnerId() ownerId: string,
    @Param('id', knowledgeBaseId) id: string,
    @Body(new ZodValidationPipe(updateKnowledgeBaseInput)) input: UpdateKnowledgeBaseInput,
    @Client() client: ClientContext,
  ): Promise<{ knowledge_base: KnowledgeBaseOutput }> {
    return { knowledge_base: await this.knowledgeBases.update(ownerId, id, input, client) };
  }

  @Delete(':id')
  @ApiKeyAuth('knowledge_bases:write')
  async delete(
    @OwnerId() ownerId: string,
    @Param('id', knowledgeBaseId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ knowledge_base: KnowledgeBaseOutput; smart_reply_disabled_on: string[] }> {
    const { knowledgeBase, smartReplyDisabledOn } = await this.knowledgeBases.delete(
      ownerId,
      id,
      client,
    );
    return { knowledge_base: knowledgeBase, smart_reply_disabled_on: smartReplyDisabledOn };
  }
}
