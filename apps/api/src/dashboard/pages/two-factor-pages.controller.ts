import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  Client,
  codeInput,
  CurrentSession,
  disableTwoFactorInput,
  SessionAuth,
  SessionCookie,
  SessionsService,
  TwoFactorService,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import { formInput, formProblem, sessionForm } from '../page-forms';
import { SecurityPage } from '../security-page';
import { Viewers } from '../viewers';
import { BackupCodesView, TwoFactorSetupView } from '../views/two-factor.view';

const codeForm = sessionForm({ code: z.string() });
const disableForm = sessionForm({ password: z.string().optional(), code: z.string() });

/**
 * Two-factor enrolment and management as pages. Each action changes how the account signs
 * in, so each needs a recent proof (as `/account/2fa`); turning 2FA on or off rotates the
 * session, and the page answering it already carries the new CSRF token.
 */
@Controller()
@DashboardPage()
@SessionAuth({ recentAuth: true })
export class TwoFactorPagesController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly security: SecurityPage,
    private readonly viewers: Viewers,
  ) {}

  /** A new secret each time (the previous, unconfirmed one is replaced). */
  @Post(PAGES.twoFactorSetup)
  async setup(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    const enrolment = await this.twoFactor.setup(session.userId);
    sendPage(
      response,
      200,
      TwoFactorSetupView({ viewer: await this.viewers.of(session), enrolment }),
    );
  }

  @Post(PAGES.twoFactorConfirm)
  async confirm(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { code } = formInput(codeInput, { code: formInput(codeForm, body).code });
      const codes = await this.twoFactor.confirm(session.userId, code, client);
      const fresh = await this.rotate(session, client, response);
      sendPage(
        response,
        200,
        BackupCodesView({ viewer: await this.viewers.of(fresh), codes, enabled: true }),
      );
    } catch (error) {
      const problem = formProblem(error, response);
      sendPage(
        response,
        problem.status,
        TwoFactorSetupView({ viewer: await this.viewers.of(session), problem }),
      );
    }
  }

  @Post(PAGES.twoFactorDisable)
  async disable(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { _csrf: _token, ...fields } = formInput(disableForm, body);
      await this.twoFactor.disable(
        session.userId,
        formInput(disableTwoFactorInput, fields),
        client,
      );
      await this.rotate(session, client, response);
      response.redirect(303, `${PAGES.security}?notice=two_factor_off`);
    } catch (error) {
      const problem = formProblem(error, response);
      await this.security.render(response, session, problem.status, {
        problem: { form: 'disable-2fa', problem },
      });
    }
  }

  @Post(PAGES.backupCodes)
  async replaceBackupCodes(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { code } = formInput(codeInput, { code: formInput(codeForm, body).code });
      const codes = await this.twoFactor.regenerateBackupCodes(session.userId, code, client);
      sendPage(
        response,
        200,
        BackupCodesView({ viewer: await this.viewers.of(session), codes, enabled: false }),
      );
    } catch (error) {
      const problem = formProblem(error, response);
      await this.security.render(response, session, problem.status, {
        problem: { form: 'backup-codes', problem },
      });
    }
  }

  /** New session id and cookie after a privilege change. */
  private async rotate(
    session: ActiveSession,
    client: ClientContext,
    response: Response,
  ): Promise<ActiveSession> {
    const { token, session: fresh } = await this.sessions.rotate(session, client);
    this.cookie.write(response, token);
    return fresh;
  }
}
