import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  Client,
  codeInput,
  Csrf,
  CurrentSession,
  disableTwoFactorInput,
  SessionAuth,
  SessionCookie,
  SessionsService,
  TwoFactorService,
  type ActiveSession,
  type ClientContext,
  type CodeInput,
  type DisableTwoFactorInput,
  type TwoFactorEnrolment,
} from '@intake/auth';
import { ZodValidationPipe } from '@intake/common';

/**
 * TOTP enrolment and management. Every route changes how the account signs in, so each
 * needs a recent proof of identity; turning 2FA on or off also rotates the session.
 */
@Controller('account/2fa')
@SessionAuth({ recentAuth: true })
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly csrf: Csrf,
  ) {}

  @Post('setup')
  @HttpCode(200)
  setup(@CurrentSession() session: ActiveSession): Promise<TwoFactorEnrolment> {
    return this.twoFactor.setup(session.userId);
  }

  @Post('confirm')
  @HttpCode(200)
  async confirm(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(codeInput)) input: CodeInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ backup_codes: string[]; csrf_token: string }> {
    const backupCodes = await this.twoFactor.confirm(session.userId, input.code, client);
    return { backup_codes: backupCodes, csrf_token: await this.rotate(session, client, response) };
  }

  @Post('disable')
  @HttpCode(200)
  async disable(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(disableTwoFactorInput)) input: DisableTwoFactorInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ csrf_token: string }> {
    await this.twoFactor.disable(session.userId, input, client);
    return { csrf_token: await this.rotate(session, client, response) };
  }

  @Post('backup-codes')
  @HttpCode(200)
  async regenerateBackupCodes(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(codeInput)) input: CodeInput,
    @Client() client: ClientContext,
  ): Promise<{ backup_codes: string[] }> {
    return {
      backup_codes: await this.twoFactor.regenerateBackupCodes(session.userId, input.code, client),
    };
  }

  /** New session id and cookie after a privilege change; the new CSRF token goes back. */
  private async rotate(
    session: ActiveSession,
    client: ClientContext,
    response: Response,
  ): Promise<string> {
    const { token, session: fresh } = await this.sessions.rotate(session, client);
    this.cookie.write(response, token);
    return this.csrf.tokenFor(fresh.id);
  }
}
