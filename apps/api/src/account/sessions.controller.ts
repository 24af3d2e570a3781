import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  AccountsService,
  changePasswordInput,
  Client,
  Csrf,
  CurrentSession,
  SessionAuth,
  SessionControl,
  SessionCookie,
  type ActiveSession,
  type ChangePasswordInput,
  type ClientContext,
  type SessionOutput,
  type UserOutput,
} from '@intake/auth';
import { uuidParam, ZodValidationPipe } from '@intake/common';

/** Sessions and password, from the dashboard only. */
@Controller('account')
@SessionAuth()
export class SessionsController {
  constructor(
    private readonly control: SessionControl,
    private readonly accounts: AccountsService,
    private readonly cookie: SessionCookie,
    private readonly csrf: Csrf,
  ) {}

  @Get('sessions')
  async list(@CurrentSession() session: ActiveSession): Promise<{ sessions: SessionOutput[] }> {
    return { sessions: await this.control.list(session) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  revoke(
    @CurrentSession() session: ActiveSession,
    @Param('id', uuidParam('Session')) id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    return this.control.revoke(session, id, client);
  }

  @Post('sessions/revoke-others')
  @HttpCode(200)
  async revokeOthers(
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
  ): Promise<{ revoked: number }> {
    return { revoked: await this.control.revokeOthers(session, client) };
  }

  /** Every session ends; this browser gets a fresh one (new cookie, new CSRF token). */
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(changePasswordInput)) input: ChangePasswordInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: UserOutput; csrf_token: string }> {
    const {
      user,
      token,
      session: fresh,
    } = await this.accounts.changePassword(session, input, client);
    this.cookie.write(response, token);
    return { user, csrf_token: this.csrf.tokenFor(fresh.id) };
  }
}
