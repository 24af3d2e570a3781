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
import { createKnowledgeBaseInput, KnowledgeBasesService } from '@intake/forms';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { formInput, formProblem, queryInput, sessionForm, type FormProblem } from '../page-forms';
import { Viewers } from '../viewers';
import {
  KnowledgeBasesView,
  KnowledgeBaseView,
  type KnowledgeBaseValues,
} from '../views/knowledge-bases.view';

const knowledgeBaseId = uuidParam('Knowledge base');
const NOTICES = {
  created: 'Knowledge base created.',
  saved: 'Changes saved.',
  deleted: 'Knowledge base deleted.',
} as const;
const listQuery = z.object({
  notice: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
  /** After a delete: on how many forms smart replies were turned off. */
  detached: z.coerce.number().int().min(0).max(100_000).optional().catch(undefined),
});
const knowledgeBaseForm = sessionForm({
  name: z.string().max(1_000),
  content: z.string().max(1_000_000),
});
const EMPTY: KnowledgeBaseValues = { name: '', content: '' };

/** Knowledge bases for smart replies: list, create, edit, delete. */
@Controller(PAGES.knowledgeBases)
@DashboardPage()
@SessionAuth()
export class KnowledgeBasesPagesController {
  constructor(
    private readonly knowledgeBases: KnowledgeBasesService,
    private readonly viewers: Viewers,
  ) {}

  @Get()
  async list(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { notice, detached } = queryInput(listQuery, query);
    const text = notice
      ? `${NOTICES[notice]}${detached ? ` Smart replies were turned off on ${detached} form(s) that used it.` : ''}`
      : null;
    await this.renderList(response, session, 200, EMPTY, null, text);
  }

  @Post()
  async create(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    let values = EMPTY;
    try {
      const { _csrf: _token, ...posted } = formInput(knowledgeBaseForm, body);
      values = posted;
      await this.knowledgeBases.create(
        session.userId,
        formInput(createKnowledgeBaseInput, posted),
        client,
      );
      response.redirect(303, `${PAGES.knowledgeBases}?notice=created`);
    } catch (error) {
      const problem = formProblem(error, response);
      await this.renderList(response, session, problem.status, values, problem, null);
    }
  }

  @Get(':id')
  async edit(
    @CurrentSession() session: ActiveSession,
    @Param('id', knowledgeBaseId) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const knowledgeBase = await this.knowledgeBases.get(session.userId, id);
    const viewer = await this.viewers.of(session);
    sendPage(response, 200, KnowledgeBaseView({ viewer, knowledgeBase, values: knowledgeBase }));
  }

  @Post(':id')
  async update(
    @CurrentSession() session: ActiveSession,
    @Param('id', knowledgeBaseId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const knowledgeBase = await this.knowledgeBases.get(session.userId, id);
    let values: KnowledgeBaseValues = knowledgeBase;
    try {
      const { _csrf: _token, ...posted } = formInput(knowledgeBaseForm, body);
      values = posted;
      await this.knowledgeBases.update(
        session.userId,
        id,
        formInput(createKnowledgeBaseInput, posted),
        client,
      );
      response.redirect(303, `${PAGES.knowledgeBases}?notice=saved`);
    } catch (error) {
      const problem = formProblem(error, response);
      const viewer = await this.viewers.of(session);
      sendPage(
        response,
        problem.status,
        KnowledgeBaseView({ viewer, knowledgeBase, values, problem }),
      );
    }
  }

  @Post(':id/delete')
  async delete(
    @CurrentSession() session: ActiveSession,
    @Param('id', knowledgeBaseId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    const { smartReplyDisabledOn } = await this.knowledgeBases.delete(session.userId, id, client);
    response.redirect(
      303,
      `${PAGES.knowledgeBases}?notice=deleted&detached=${smartReplyDisabledOn.length}`,
    );
  }

  private async renderList(
    response: Response,
    session: ActiveSession,
    status: number,
    values: KnowledgeBaseValues,
    problem: FormProblem | null,
    notice: string | null,
  ): Promise<void> {
    const [viewer, knowledgeBases] = await Promise.all([
      this.viewers.of(session),
      this.knowledgeBases.list(session.userId),
    ]);
    sendPage(
      response,
      status,
      KnowledgeBasesView({ viewer, knowledgeBases, values, problem, notice }),
    );
  }
}
