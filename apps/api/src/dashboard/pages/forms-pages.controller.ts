import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  Client,
  CurrentSession,
  PROVIDER_NAMES,
  SessionAuth,
  SOCIAL_PROVIDERS,
  SOCIAL_SIGN_IN_FAILURES,
  type ActiveSession,
  type ClientContext,
  type SocialSignInFailure,
} from '@intake/auth';
import { paginationQuery, uuidParam } from '@intake/common';
import { FormsService } from '@intake/forms';
import { SubmissionsService } from '@intake/submissions';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendFragment, sendPage } from '../page';
import { formInput, pageQuery, queryInput, sessionForm } from '../page-forms';
import { formSnippets } from '../snippets';
import { Viewers } from '../viewers';
import { FormPageView, listHref } from '../views/form.view';
import { FormsListView } from '../views/forms-list.view';
import { SubmissionRow, type SubmissionFilter } from '../views/submission-row';

const formId = uuidParam('Form');
const submissionId = uuidParam('Submission');
const PAGE_SIZE = 20;

const filterSchema = z.enum(['inbox', 'spam', 'all']);

const HOME_NOTICES = { form_deleted: 'Form deleted.' } as const;

const homeQuery = pageQuery(
  paginationQuery(100)
    .pick({ page: true })
    .extend({
      notice: z
        .enum(Object.keys(HOME_NOTICES) as [keyof typeof HOME_NOTICES])
        .optional()
        .catch(undefined),
      // Where Google/GitHub linking lands (see SocialSignInController): fixed texts only.
      linked: z.enum(SOCIAL_PROVIDERS).optional().catch(undefined),
      error: z
        .enum(Object.keys(SOCIAL_SIGN_IN_FAILURES) as [SocialSignInFailure])
        .optional()
        .catch(undefined),
    }),
);

const FORM_NOTICES = {
  created: 'Form created. Post to its endpoint to see submissions arrive here.',
  saved: 'Changes saved.',
  marked_spam: 'Moved to spam.',
  marked_not_spam: 'Moved to the inbox.',
  deleted: 'Submission deleted.',
} as const;
type FormNotice = keyof typeof FORM_NOTICES;

const formPageQuery = pageQuery(
  paginationQuery(1_000_000)
    .pick({ page: true })
    .extend({
      filter: filterSchema.default('inbox'),
      search: z.string().trim().min(1).max(200).optional(),
      notice: z
        .enum(Object.keys(FORM_NOTICES) as [FormNotice])
        .optional()
        .catch(undefined),
    }),
);

const rowQuery = z.object({ filter: filterSchema.default('inbox') });
const spamForm = sessionForm({
  spam: z.enum(['true', 'false']),
  filter: filterSchema.default('inbox'),
});
const deleteForm = sessionForm({ filter: filterSchema.default('inbox') });

function belongsTo(filter: SubmissionFilter, spam: boolean): boolean {
  return filter === 'all' || (filter === 'spam') === spam;
}

/** The forms list, a form's page with its submissions, and the actions on a submission. */
@Controller()
@DashboardPage()
@SessionAuth()
export class FormsPagesController {
  constructor(
    private readonly forms: FormsService,
    private readonly submissions: SubmissionsService,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.home)
  async home(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { page, linked, error, notice: noticeKey } = queryInput(homeQuery, query);
    const { forms, meta } = await this.forms.list(session.userId, page, PAGE_SIZE);
    const notice = error
      ? SOCIAL_SIGN_IN_FAILURES[error]
      : linked
        ? `Your ${PROVIDER_NAMES[linked]} account is linked: you can sign in with it.`
        : noticeKey
          ? HOME_NOTICES[noticeKey]
          : null;
    const viewer = await this.viewers.of(session);
    sendPage(response, 200, FormsListView({ viewer, forms, meta, notice }));
  }

  @Get('forms/:formId')
  async form(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) id: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { page, filter, search, notice } = queryInput(formPageQuery, query);
    const form = await this.forms.get(session.userId, id);
    const { data, meta } = await this.submissions.list(session.userId, id, {
      page,
      page_size: PAGE_SIZE,
      filter,
      search,
      sort_by: 'created_at',
      sort_order: 'desc',
    });
    const viewer = await this.viewers.of(session);
    sendPage(
      response,
      200,
      FormPageView({
        viewer,
        form,
        snippets: formSnippets(form),
        submissions: data,
        meta,
        list: { filter, search, page },
        notice: notice ? FORM_NOTICES[notice] : null,
      }),
    );
  }

  /**
   * One submission's row, for the live list: 204 when it does not belong in the list asking
   * (e.g. it went to spam while the inbox is shown), so the script removes it.
   */
  @Get('forms/:formId/submissions/:submissionId/row')
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

  @Post('forms/:formId/submissions/:submissionId/spam')
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

  @Post('forms/:formId/submissions/:submissionId/delete')
  async deleteSubmission(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('submissionId', submissionId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const input = formInput(deleteForm, body);
    await this.submissions.delete(session.userId, form, id, client);
    response.redirect(303, withNotice(listHref(form, { filter: input.filter }), 'deleted'));
  }
}

function withNotice(href: string, notice: FormNotice): string {
  return `${href}${href.includes('?') ? '&' : '?'}notice=${notice}`;
}
