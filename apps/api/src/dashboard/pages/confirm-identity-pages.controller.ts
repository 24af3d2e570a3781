import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  Client,
  CurrentSession,
  ReauthenticationService,
  reauthenticateInput,
  SessionAuth,
  TwoFactorService,
  UsersRepository,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { AppError } from '@intake/common';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES, safeReturnPath } from '../dashboard-paths';
import { sendPage } from '../page';
import { formInput, formProblem, type FormProblem } from '../page-forms';
import { Viewers } from '../viewers';
import { ConfirmIdentityView } from '../views/confirm-identity.view';

const nextQuery = z.object({ next: z.string().max(2_000).optional().catch(undefined) });
const confirmForm = z.strictObject({
  _csrf: z.string(),
  next: z.string().max(2_000).optional(),
  password: z.string().optional(),
  code: z.string().optional(),
});

/** The detour of sensitive actions (`recentAuth`): a fresh password or code, then back. */
@Controller()
@DashboardPage()
@SessionAuth()
export class ConfirmIdentityPagesController {
  constructor(
    private readonly reauthentication: ReauthenticationService,
    private readonly users: UsersRepository,
    private readonly twoFactor: TwoFactorService,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.confirmIdentity)
  async page(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    await this.render(response, session, 200, safeReturnPath(nextQuery.parse(query).next));
  }

  @Post(PAGES.confirmIdentity)
  async confirm(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const { next, password, code } = formInput(confirmForm, body);
    const back = safeReturnPath(next);
    try {
      await this.reauthentication.reauthenticate(
        session,
        formInput(reauthenticateInput, { password, code }),
        client,
      );
      response.redirect(303, back);
    } catch (error) {
      const problem = formProblem(error, response);
      await this.render(response, session, problem.status, back, problem);
    }
  }

  private async render(
    response: Response,
    session: ActiveSession,
    status: number,
    next: string,
    problem?: FormProblem,
  ): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized();
    sendPage(
      response,
      status,
      ConfirmIdentityView({
        viewer: await this.viewers.of(session),
        next,
        hasPassword: user.passwordHash !== null,
        twoFactor: this.twoFactor.isEnabled(user),
        problem,
      }),
    );
  }
}
