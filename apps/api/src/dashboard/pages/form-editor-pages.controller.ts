import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  Client,
  CurrentSession,
  SessionAuth,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { sendAttachment, uuidParam } from '@intake/common';
import { FormsService, KnowledgeBasesService, type FormOutput } from '@intake/forms';
import { exportSubmissionsQuery, SubmissionsExportService } from '@intake/submissions';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import {
  formEditorPost,
  formEditorValues,
  formSettingsOf,
  type FormEditorValues,
} from '../form-editor.input';
import { sendPage } from '../page';
import {
  formInput,
  formProblem,
  pageQuery,
  queryInput,
  sessionForm,
  type FormProblem,
} from '../page-forms';
import { Viewers } from '../viewers';
import { FormEditorView } from '../views/form-editor.view';
import { SecretOnceView } from '../views/secret-once.view';

const formId = uuidParam('Form');
const exportQuery = pageQuery(exportSubmissionsQuery);

/** Creating, editing, deleting and exporting a form. Registered before FormsPagesController (`/forms/new`). */
@Controller()
@DashboardPage()
@SessionAuth()
export class FormEditorPagesController {
  constructor(
    private readonly forms: FormsService,
    private readonly knowledgeBases: KnowledgeBasesService,
    private readonly exports: SubmissionsExportService,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.formNew)
  async newForm(
    @CurrentSession() session: ActiveSession,
    @Res() response: Response,
  ): Promise<void> {
    await this.editor(response, session, 200, formEditorValues());
  }

  @Post(PAGES.formNew)
  async create(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    let values = formEditorValues();
    try {
      values = formEditorPost(body);
      const form = await this.forms.create(session.userId, formSettingsOf(values), client);
      await this.saved(response, session, form, 'created');
    } catch (error) {
      const problem = formProblem(error, response);
      await this.editor(response, session, problem.status, values, undefined, problem);
    }
  }

  @Get('forms/:formId/edit')
  async edit(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const form = await this.forms.get(session.userId, id);
    await this.editor(response, session, 200, formEditorValues(form), id);
  }

  @Post('forms/:formId/edit')
  async update(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    // The form must exist (and be the owner's) before its errors are worth showing.
    let values = formEditorValues(await this.forms.get(session.userId, id));
    try {
      values = formEditorPost(body);
      const form = await this.forms.update(session.userId, id, formSettingsOf(values), client);
      await this.saved(response, session, form, 'saved');
    } catch (error) {
      const problem = formProblem(error, response);
      await this.editor(response, session, problem.status, values, id, problem);
    }
  }

  @Post('forms/:formId/delete')
  async delete(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.forms.delete(session.userId, id, client);
    response.redirect(303, `${PAGES.home}?notice=form_deleted`);
  }

  /** CSV or NDJSON of the form's submissions, with the list's filters; streamed. */
  @Get('forms/:formId/export')
  async export(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) id: string,
    @Query() query: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const input = queryInput(exportQuery, query);
    await sendAttachment(response, await this.exports.open(session.userId, id, input, client));
  }

  /** After a save: the form's page, or first its new submission token (shown once). */
  private async saved(
    response: Response,
    session: ActiveSession,
    form: FormOutput,
    notice: 'created' | 'saved',
  ): Promise<void> {
    if (!form.submission_token) {
      response.redirect(303, `${PAGES.form(form.id)}?notice=${notice}`);
      return;
    }
    sendPage(
      response,
      200,
      SecretOnceView({
        viewer: await this.viewers.of(session),
        section: 'forms',
        title: 'Submission token',
        explanation: `${form.name} is private: posts to it need this token as "Authorization: Bearer <token>".`,
        secret: form.submission_token,
        continueHref: PAGES.form(form.id),
        continueLabel: 'Continue to the form',
      }),
    );
  }

  private async editor(
    response: Response,
    session: ActiveSession,
    status: number,
    values: FormEditorValues,
    id?: string,
    problem?: FormProblem,
  ): Promise<void> {
    const [viewer, knowledgeBases] = await Promise.all([
      this.viewers.of(session),
      this.knowledgeBases.list(session.userId),
    ]);
    sendPage(
      response,
      status,
      FormEditorView({ viewer, formId: id, values, knowledgeBases, problem }),
    );
  }
}
