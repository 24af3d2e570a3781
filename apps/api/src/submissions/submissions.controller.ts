import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { uuidParam, ZodValidationPipe, type PageMeta } from '@intake/common';
import { ReplyReviewService, sendReplyInput, type SendReplyInput } from '@intake/pipeline';
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
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly replies: ReplyReviewService,
  ) {}

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

  @Post(':id/reply')
  @HttpCode(200)
  @ApiKeyAuth('submissions:write')
  async reply(
    @OwnerId() ownerId: string,
    @Param('formId', formId) form: string,
    @Param('id', submissionId) id: string,
    @Body(new ZodValidationPipe(sendReplyInput)) input: SendReplyInput,
    @Client() client: ClientContext,
  ): Promise<{ submission: SubmissionOutput }> {
    return { submission: await this.replies.send(ownerId, form, id, input, client) };
  }
}
