import { Body, Controller, Delete, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  Client,
  CurrentSession,
  SessionAuth,
  SessionCookie,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { sendAttachment, ZodValidationPipe } from '@intake/common';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';
import { deleteAccountInput, type DeleteAccountInput } from './delete-account.input';

/**
 * The whole account: take everything out, or delete it. Both hand over or destroy all of
 * the owner's data, so both need a recent sign-in, password or 2FA proof.
 */
@Controller('account')
@SessionAuth({ recentAuth: true })
export class AccountController {
  constructor(
    private readonly exports: AccountExportService,
    private readonly deletion: AccountDeletionService,
    private readonly cookie: SessionCookie,
  ) {}

  @Get('export')
  async export(
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    await sendAttachment(response, await this.exports.open(session, client));
  }

  @Delete()
  @HttpCode(204)
  async delete(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(deleteAccountInput)) input: DeleteAccountInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.deletion.delete(session, input, client);
    this.cookie.clear(response);
  }
}
