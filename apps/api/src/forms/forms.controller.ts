import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { paginationQuery, uuidParam, ZodValidationPipe, type PageMeta } from '@intake/common';
import {
  createFormInput,
  FormsService,
  updateFormInput,
  type CreateFormInput,
  type FormOutput,
  type FormSummaryOutput,
  type UpdateFormInput,
} from '@intake/forms';
import type { z } from 'zod';

const listFormsQuery = paginationQuery(100);
const formId = uuidParam('Form');

@Controller('api/forms')
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Post()
  @ApiKeyAuth('forms:write')
  async create(
    @OwnerId() ownerId: string,
    @Body(new ZodValidationPipe(createFormInput)) input: CreateFormInput,
    @Client() client: ClientContext,
  ): Promise<{ form: FormOutput }> {
    return { form: await this.forms.create(ownerId, input, client) };
  }

  @Get()
  @ApiKeyAuth('forms:read')
  list(
    @OwnerId() ownerId: string,
    @Query(new ZodValidationPipe(listFormsQuery, 'query')) query: z.output<typeof listFormsQuery>,
  ): Promise<{ forms: FormSummaryOutput[]; meta: PageMeta }> {
    return this.forms.list(ownerId, query.page, query.page_size);
  }

  @Get(':id')
  @ApiKeyAuth('forms:read')
  async get(
    @OwnerId() ownerId: string,
    @Param('id', formId) id: string,
  ): Promise<{ form: FormOutput }> {
    return { form: await this.forms.get(ownerId, id) };
  }

  @Put(':id')
  @ApiKeyAuth('forms:write')
  async update(
    @OwnerId() ownerId: string,
    @Param('id', formId) id: string,
    @Body(new ZodValidationPipe(updateFormInput)) input: UpdateFormInput,
    @Client() client: ClientContext,
  ): Promise<{ form: FormOutput }> {
    return { form: await this.forms.update(ownerId, id, input, client) };
  }

  @Delete(':id')
  @ApiKeyAuth('forms:write')
  async delete(
    @OwnerId() ownerId: string,
    @Param('id', formId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ form: FormOutput }> {
    return { form: await this.forms.delete(ownerId, id, client) };
  }

  @Post(':id/submission_token')
  @HttpCode(200)
  @ApiKeyAuth('forms:write')
  async replaceSubmissionToken(
    @OwnerId() ownerId: string,
    @Param('id', formId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ form: FormOutput }> {
    return { form: await this.forms.replaceSubmissionToken(ownerId, id, client) };
  }
}
