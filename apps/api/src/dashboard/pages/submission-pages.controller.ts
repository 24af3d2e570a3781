import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  Client,
  CurrentSession,
  SessionAuth,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { uuidParam } from '@intake/common';
import { FormsService } from '@intake/forms';
import { ReplyReviewService, sendReplyInput } from '@intake/pipeline';
import { SubmissionsService } from '@intake/submissions';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { withNotice, type FormNotice } from '../form-notices';
import { sendFragment, sendPage } from '../page';
import {
  formInput,
  formProblem,
  pageQuery,
  queryInput,
  sessionForm,
  type FormProblem,
} from '../page-forms';
import { Viewers } from '../viewers';
import { listHref } from '../views/form.view';
import { SUBMISSION_FILTERS, SubmissionRow, type SubmissionFilter } from '../views/submission-row';
import { SubmissionView, type SubmissionDataView } from '../views/submission.view';

const formId = uuidParam('Form');
const submissionId = uuidParam('Submission');
const filterSchema = z.enum(SUBMISSION_FILTERS).default('inbox');

const SUBMISSION_NOTICES = { reply_sent: 'Reply sent.' } as const;

const submissionQuery = pageQuery(
  z.object({
    view: z.enum(['original', 'translated']).default('original'),
    notice: z
      .enum(Object.keys(SUBMISSION_NOTICES) as [keyof typeof SUBMISSION_NOTICES])
      .optional()
      .catch(undefined),
  }),
);
const rowQuery = z.object({ filter: filterSchema });
const spamForm = sessionForm({ spam: z.enum(['true', 'false']), filter: filterSchema });
const deleteForm = sessionForm({ filter: filterSchema });
// The API's own rules and messages for the reply (subject one line, sizes).
const replyForm = sessionForm(sendReplyInput.shape);
// What a refused reply form shows again: the owner's words, not the stored draft.
const postedReply = z.object({ subject: z.string().catch(''), content: z.string().catch('') });

function belongsTo(filter: SubmissionFilter, spam: boolean): boolean {
  return filter === 'all' || (filter === 'spam') === spam;
}

/** One submission: its page, its row for the live list, its reply, and moving or deleting it. */
@Controller('forms/:formId/submissions/:submissionId')
@DashboardPage()
@SessionAuth()
export class SubmissionPagesController {
  constructor(
    private readonly forms: FormsService,
    private readonly submissions: SubmissionsService,
    private readonly replies: ReplyReviewService,
    private readonly viewers: Viewers,
  ) {}

  @Get()
  async submission(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { view, notice } = queryInput(submissionQuery, query);
    await this.page(response, session, 200, form, id, {
      view,
      notice: notice ? SUBMISSION_NOTICES[notice] : null,
    });
  }

  @Post('reply')
  async reply(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { _csrf: _token, ...reply } = formInput(replyForm, body);
      await this.replies.send(session.userId, form, id, reply, client);
      response.redirect(303, withNotice(PAGES.submission(form, id), 'reply_sent'));
    } catch (error) {
      const problem = formProblem(error, response);
      const reply = postedReply.safeParse(body).data;
      await this.page(response, session, problem.status, form, id, { problem, reply });
    }
  }

  /**
   * The submission's row, for the live list: 204 when it does not belong in the list asking
   * (e.g. it went to spam while the inbox is shown), so the script removes it.
   */
  @Get('row')
  async row(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { filter } = queryInput(rowQuery, query);
    const submission = await this.submissions.get(session.userId, form, id);
    if (!belongsTo(filter, submission.spam)) {
      response.status(204).end();
      return;
    }
    const { csrf } = await this.viewers.of(session);
    sendFragment(response, SubmissionRow({ formId: form, submission, csrf, filter }));
  }

  @Post('spam')
  async markSpam(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const input = formInput(spamForm, body);
    const spam = input.spam === 'true';
    await this.submissions.setSpam(session.userId, form, id, spam, client);
    const notice: FormNotice = spam ? 'marked_spam' : 'marked_not_spam';
    response.redirect(303, withNotice(listHref(form, { filter: input.filter }), notice));
  }

  @Post('delete')
  async delete(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const input = formInput(deleteForm, body);
    await this.submissions.delete(session.userId, form, id, client);
    const notice: FormNotice = 'deleted';
    response.redirect(303, withNotice(listHref(form, { filter: input.filter }), notice));
  }

  private async page(
    response: Response,
    session: ActiveSession,
    status: number,
    form: string,
    id: string,
    state: {
      view?: SubmissionDataView;
      notice?: string | null;
      problem?: FormProblem;
      reply?: { subject: string; content: string };
    },
  ): Promise<void> {
    const [viewer, formOutput, submission] = await Promise.all([
      this.viewers.of(session),
      this.forms.get(session.userId, form),
      this.submissions.get(session.userId, form, id),
    ]);
    sendPage(
      response,
      status,
      SubmissionView({ viewer, form: formOutput, submission, view: 'original', ...state }),
    );
  }
}
