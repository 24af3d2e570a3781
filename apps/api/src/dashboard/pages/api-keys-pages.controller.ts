import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  API_SCOPES,
  ApiKeysService,
  Client,
  createApiKeyInput,
  CurrentSession,
  SessionAuth,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { uuidParam } from '@intake/common';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { formInput, formProblem, queryInput, sessionForm, type FormProblem } from '../page-forms';
import { Viewers } from '../viewers';
import { ApiKeysView, type ApiKeyFormValues } from '../views/api-keys.view';
import { SecretOnceView } from '../views/secret-once.view';

/** A repeated checkbox posts one value as a string and several as a list. */
const repeated = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : [value].flat()));

const newKeyForm = sessionForm({
  name: z.string().max(1_000),
  scopes: repeated,
  allowed_ips: z.string().max(10_000),
  expires_on: z.string().max(20),
});

const NOTICES = { revoked: 'Key revoked: it no longer works.' } as const;
const listQuery = z.object({
  notice: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
});

const EMPTY_FORM: ApiKeyFormValues = {
  name: '',
  scopes: [...API_SCOPES],
  allowed_ips: '',
  expires_on: '',
};

/** API keys: list, create (shown once; a sensitive action) and revoke. */
@Controller()
@DashboardPage()
@SessionAuth()
export class ApiKeysPagesController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.apiKeys)
  async list(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { notice } = queryInput(listQuery, query);
    await this.render(response, session, 200, EMPTY_FORM, null, notice ? NOTICES[notice] : null);
  }

  /** A new key is a new way in: a recent sign-in, password or code first (as the API). */
  @Post(PAGES.apiKeys)
  @SessionAuth({ recentAuth: true })
  async create(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    let values = EMPTY_FORM;
    try {
      const { _csrf: _token, ...posted } = formInput(newKeyForm, body);
      values = posted;
      const input = formInput(createApiKeyInput, {
        name: posted.name,
        scopes: posted.scopes,
        allowed_ips: posted.allowed_ips
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
        ...(posted.expires_on.trim()
          ? { expires_at: `${posted.expires_on.trim()}T23:59:59Z` }
          : {}),
      });
      const { apiKey, secret } = await this.apiKeys.create(session.userId, input, client);
      sendPage(
        response,
        200,
        SecretOnceView({
          viewer: await this.viewers.of(session),
          section: 'api-keys',
          title: `API key “${apiKey.name}”`,
          explanation: 'Use it as "Authorization: Bearer <key>".',
          secret,
          continueHref: PAGES.apiKeys,
          continueLabel: 'Back to API keys',
        }),
      );
    } catch (error) {
      const problem = formProblem(error, response);
      await this.render(response, session, problem.status, values, problem, null);
    }
  }

  @Post('settings/api-keys/:keyId/revoke')
  async revoke(
    @CurrentSession() session: ActiveSession,
    @Param('keyId', uuidParam('API key')) keyId: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.apiKeys.revoke(session.userId, keyId, client);
    response.redirect(303, `${PAGES.apiKeys}?notice=revoked`);
  }

  private async render(
    response: Response,
    session: ActiveSession,
    status: number,
    values: ApiKeyFormValues,
    problem: FormProblem | null,
    notice: string | null,
  ): Promise<void> {
    const [viewer, keys] = await Promise.all([
      this.viewers.of(session),
      this.apiKeys.list(session.userId),
    ]);
    sendPage(response, status, ApiKeysView({ viewer, keys, values, problem, notice }));
  }
}
