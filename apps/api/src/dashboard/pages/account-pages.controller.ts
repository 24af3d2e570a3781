import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  Client,
  CurrentSession,
  SessionAuth,
  SessionCookie,
  UsersRepository,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { AppError, sendAttachment } from '@intake/common';
import { AccountDeletionService } from '../../account/account-deletion.service';
import { AccountExportService } from '../../account/account-export.service';
import { deleteAccountInput } from '../../account/delete-account.input';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { formInput, formProblem, sessionForm, type FormProblem } from '../page-forms';
import { Viewers } from '../viewers';
import { AccountView } from '../views/account.view';

// The API's confirmation (password, or the address for accounts without one), as a form.
const deleteForm = sessionForm(deleteAccountInput.shape);

/**
 * The account page: export everything, or delete the account. Both act on all of the
 * owner's data, so both ask for a recent sign-in (`recentAuth`), as the API does.
 */
@Controller()
@DashboardPage()
@SessionAuth()
export class AccountPagesController {
  constructor(
    private readonly exports: AccountExportService,
    private readonly deletion: AccountDeletionService,
    private readonly users: UsersRepository,
    private readonly cookie: SessionCookie,
    private readonly viewers: Viewers,
  ) {}

  @Get(PAGES.account)
  async page(@CurrentSession() session: ActiveSession, @Res() response: Response): Promise<void> {
    await this.render(response, session, 200);
  }

  @Get(PAGES.accountExport)
  @SessionAuth({ recentAuth: true })
  async export(
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    await sendAttachment(response, await this.exports.open(session, client));
  }

  @Post(PAGES.accountDelete)
  @SessionAuth({ recentAuth: true })
  async delete(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { _csrf: _token, ...confirmation } = formInput(deleteForm, body);
      await this.deletion.delete(session, formInput(deleteAccountInput, confirmation), client);
    } catch (error) {
      const problem = formProblem(error, response);
      await this.render(response, session, problem.status, problem);
      return;
    }
    this.cookie.clear(response);
    response.redirect(303, `${PAGES.signIn}?notice=account_deleted`);
  }

  private async render(
    response: Response,
    session: ActiveSession,
    status: number,
    problem?: FormProblem,
  ): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized();
    sendPage(
      response,
      status,
      AccountView({
        viewer: await this.viewers.of(session),
        hasPassword: user.passwordHash !== null,
        problem,
      }),
    );
  }
}
