import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  AccountsService,
  changePasswordInput,
  Client,
  CurrentSession,
  IdentitiesService,
  IdentityProviderPipe,
  SessionAuth,
  SessionControl,
  SessionCookie,
  type ActiveSession,
  type ClientContext,
  type SocialProvider,
} from '@intake/auth';
import { uuidParam } from '@intake/common';
import { OAuthConnectionsService } from '@intake/oauth';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { formInput, formProblem, queryInput, sessionForm } from '../page-forms';
import { SecurityPage } from '../security-page';

export const SECURITY_NOTICES = {
  session_revoked: 'That session is signed out.',
  others_revoked: 'Every other session is signed out.',
  password_changed: 'Password changed. Every other session is signed out.',
  identity_unlinked: 'Account disconnected.',
  ai_client_disconnected: 'AI client disconnected: its tokens no longer work.',
  two_factor_off: 'Two-factor authentication is off.',
} as const;
export type SecurityNotice = keyof typeof SECURITY_NOTICES;

const securityQuery = z.object({
  notice: z
    .enum(Object.keys(SECURITY_NOTICES) as [SecurityNotice])
    .optional()
    .catch(undefined),
});
const passwordForm = sessionForm({
  current_password: z.string().optional(),
  new_password: z.string(),
});

/** The security page, and what it does besides 2FA: sessions, identities, AI clients, password. */
@Controller()
@DashboardPage()
@SessionAuth()
export class SecurityPagesController {
  constructor(
    private readonly security: SecurityPage,
    private readonly control: SessionControl,
    private readonly identities: IdentitiesService,
    private readonly accounts: AccountsService,
    private readonly cookie: SessionCookie,
    private readonly connections: OAuthConnectionsService,
  ) {}

  @Get(PAGES.security)
  async page(
    @CurrentSession() session: ActiveSession,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { notice } = queryInput(securityQuery, query);
    await this.security.render(response, session, 200, {
      notice: notice ? SECURITY_NOTICES[notice] : null,
    });
  }

  @Post('settings/security/sessions/:sessionId/revoke')
  async revokeSession(
    @CurrentSession() session: ActiveSession,
    @Param('sessionId', uuidParam('Session')) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.control.revoke(session, id, client);
    response.redirect(303, `${PAGES.security}?notice=session_revoked`);
  }

  /** Signs out every other session; their dashboards' sockets drop at once. */
  @Post(PAGES.sessionsRevokeOthers)
  async revokeOthers(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.control.revokeOthers(session, client);
    response.redirect(303, `${PAGES.security}?notice=others_revoked`);
  }

  @Post('settings/security/identities/:provider/unlink')
  @SessionAuth({ recentAuth: true })
  async unlink(
    @CurrentSession() session: ActiveSession,
    @Param('provider', IdentityProviderPipe) provider: SocialProvider,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.identities.unlink(session.userId, provider, client);
    response.redirect(303, `${PAGES.security}?notice=identity_unlinked`);
  }

  @Post('settings/security/ai-clients/:clientId/disconnect')
  async disconnectAiClient(
    @CurrentSession() session: ActiveSession,
    @Param('clientId', uuidParam('OAuth client')) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.connections.revoke(session.userId, id, client);
    response.redirect(303, `${PAGES.security}?notice=ai_client_disconnected`);
  }

  /** Every session ends; this browser continues in a fresh one (new cookie, new CSRF token). */
  @Post(PAGES.password)
  async changePassword(
    @CurrentSession() session: ActiveSession,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { _csrf: _token, ...fields } = formInput(passwordForm, body);
      const { token } = await this.accounts.changePassword(
        session,
        formInput(changePasswordInput, fields),
        client,
      );
      this.cookie.write(response, token);
      response.redirect(303, `${PAGES.security}?notice=password_changed`);
    } catch (error) {
      const problem = formProblem(error, response);
      await this.security.render(response, session, problem.status, {
        problem: { form: 'password', problem },
      });
    }
  }
}
