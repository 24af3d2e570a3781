import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  CurrentSession,
  PROVIDER_NAMES,
  SessionAuth,
  SOCIAL_PROVIDERS,
  SOCIAL_SIGN_IN_FAILURES,
  type ActiveSession,
  type SocialSignInFailure,
} from '@intake/auth';
import { paginationQuery, uuidParam } from '@intake/common';
import { FormsService } from '@intake/forms';
import { submissionFilters, SubmissionsService } from '@intake/submissions';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { FORM_NOTICES, type FormNotice } from '../form-notices';
import { pageQuery, queryInput } from '../page-forms';
import { formSnippets } from '../snippets';
import { Viewers } from '../viewers';
import { FormPageView } from '../views/form.view';
import { FormsListView } from '../views/forms-list.view';

const formId = uuidParam('Form');
const PAGE_SIZE = 20;

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

const formPageQuery = pageQuery(
  paginationQuery(1_000_000)
    .pick({ page: true })
    .extend({
      ...submissionFilters.shape,
      notice: z
        .enum(Object.keys(FORM_NOTICES) as [FormNotice])
        .optional()
        .catch(undefined),
    }),
);

/** The forms list, and a form's page with its submissions. */
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
    const { page, notice, ...filters } = queryInput(formPageQuery, query);
    const form = await this.forms.get(session.userId, id);
    const { data, meta } = await this.submissions.list(session.userId, id, {
      page,
      page_size: PAGE_SIZE,
      ...filters,
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
        list: { ...filters, page },
        notice: notice ? FORM_NOTICES[notice] : null,
      }),
    );
  }
}
