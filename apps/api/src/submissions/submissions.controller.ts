import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { uuidParam, ZodValidationPipe, type PageMeta } from '@intake/common';
import {
  listSubmissionsQuery,
  SubmissionsService,
  updateSubmissionInput,
  type ListSubmissionsQuery,
  type SubmissionOutput,
  type UpdateSubmissionInput,
} from '@intake/submissions';

const formId = uuidParam('Form');
const submissionId = uuidParam('Submission');

@Controller('api/forms/:formId/submissions')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Get()
  @ApiKeyAuth('submissions:read')
  list(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Query(new ZodValidationPipe(listSubmissionsQuery, 'query')) query: ListSubmissionsQuery,
  ): Promise<{ data: SubmissionOutput[]; meta: PageMeta }> {
    return this.submissions.list(ownerId, form, query);
  }

  @Get(':id')
  @ApiKeyAuth('submissions:read')
  async get(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', submissionId) id: string,
  ): Promise<{ submission: SubmissionOutput }> {
    return { submission: await this.submissions.get(ownerId, form, id) };
  }

  @Patch(':id')
  @ApiKeyAuth('submissions:write')
  async update(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', submissionId) id: string,
    @Body(new ZodValidationPipe(updateSubmissionInput)) input: UpdateSubmissionInput,
    @Client() client: ClientContext,
  ): Promise<{ submission: SubmissionOutput }> {
    return { submission: await this.submissions.setSpam(ownerId, form, id, input.spam, client) };
  }

  @Delete(':id')
  @ApiKeyAuth('submissions:write')
  async delete(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', submissionId) id: string,
    @Client() client: ClientContext,
  ): Promise<{ submission: SubmissionOutput }> {
    return { submission: await this.submissions.delete(ownerId, form, id, client) };
  }
}
