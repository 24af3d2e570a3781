import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ACCOUNT_LINK_PATHS,
  Client,
  emailAddressInput,
  linkQuery,
  PasswordReset,
  Public,
  resetPasswordInput,
  type ClientContext,
  type EmailAddressInput,
  type LinkQuery,
  type ResetPasswordInput,
} from '@intake/auth';
import { Consumes, ZodValidationPipe } from '@intake/common';
import { AuthPageErrors, authPages, sendPage } from './auth-pages';

@Controller()
export class PasswordResetController {
  constructor(private readonly reset: PasswordReset) {}

  /** The same 202 for every address. */
  @Post('auth/password/forgot')
  @HttpCode(202)
  @Public({ sameOrigin: true })
  async forgot(
    @Body(new ZodValidationPipe(emailAddressInput)) input: EmailAddressInput,
    @Client() client: ClientContext,
  ): Promise<{ message: string }> {
    await this.reset.request(input.email, client);
    return {
      message:
        'If an account uses this address, a reset link is on its way. It works once, for 30 minutes.',
    };
  }

  /** The mailed link: a form for the new password (the link is used only by its post). */
  @Get(ACCOUNT_LINK_PATHS.password_reset)
  @Public()
  @UseFilters(AuthPageErrors)
  async form(
    @Query(new ZodValidationPipe(linkQuery, 'query')) query: LinkQuery,
    @Res() response: Response,
  ): Promise<void> {
    await this.reset.assertUsable(query.token);
    sendPage(response, 200, authPages.resetPasswordForm(query.token));
  }

  /** JSON for scripts and the dashboard; the link's form post gets a page. */
  @Post(ACCOUNT_LINK_PATHS.password_reset)
  @Public({ sameOrigin: true })
  @Consumes('application/json', 'application/x-www-form-urlencoded')
  @UseFilters(AuthPageErrors)
  async resetPassword(
    @Body(new ZodValidationPipe(resetPasswordInput)) input: ResetPasswordInput,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.reset.reset(input, client);
    if (request.is('application/x-www-form-urlencoded')) {
      sendPage(response, 200, authPages.passwordReset());
    } else {
      response.status(200).json({
        message: 'Password changed and every session signed out. Sign in with the new password.',
      });
    }
  }
}
