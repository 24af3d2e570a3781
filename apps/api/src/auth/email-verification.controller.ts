import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ACCOUNT_LINK_PATHS,
  Client,
  EmailChange,
  EmailVerification,
  linkQuery,
  linkTokenInput,
  Public,
  SessionCookie,
  type ClientContext,
  type LinkQuery,
  type LinkTokenInput,
} from '@intake/auth';
import { Consumes, ZodValidationPipe } from '@intake/common';
import { AuthPageErrors, authPages, sendPage } from './auth-pages';

/**
 * The links mailed about an address: verify it, or move the account to it. Opening one
 * shows what it will do and changes nothing; the page's button posts it back. A mail
 * scanner that fetches every link must not verify a mistyped address for a stranger, nor
 * move an account to one.
 */
@Controller()
@UseFilters(AuthPageErrors)
export class EmailVerificationController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly change: EmailChange,
    private readonly cookie: SessionCookie,
  ) {}

  @Get(ACCOUNT_LINK_PATHS.email_verification)
  @Public()
  async verificationPage(
    @Query(new ZodValidationPipe(linkQuery, 'query')) query: LinkQuery,
    @Res() response: Response,
  ): Promise<void> {
    const email = await this.verification.pending(query.token);
    sendPage(response, 200, authPages.confirmEmail(email, query.token));
  }

  @Post(ACCOUNT_LINK_PATHS.email_verification)
  @Public({ sameOrigin: true })
  @Consumes('application/x-www-form-urlencoded')
  async verify(
    @Body(new ZodValidationPipe(linkTokenInput)) input: LinkTokenInput,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.verification.verify(input.token, client);
    sendPage(response, 200, authPages.emailVerified(user.email));
  }

  @Get(ACCOUNT_LINK_PATHS.email_change)
  @Public()
  async changePage(
    @Query(new ZodValidationPipe(linkQuery, 'query')) query: LinkQuery,
    @Res() response: Response,
  ): Promise<void> {
    const email = await this.change.pending(query.token);
    sendPage(response, 200, authPages.confirmEmailChange(email, query.token));
  }

  /** Any browser may confirm; one signed in to the account keeps a (new) session. */
  @Post(ACCOUNT_LINK_PATHS.email_change)
  @Public({ sameOrigin: true })
  @Consumes('application/x-www-form-urlencoded')
  async confirmChange(
    @Body(new ZodValidationPipe(linkTokenInput)) input: LinkTokenInput,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { user, fresh } = await this.change.confirm(
      input.token,
      this.cookie.read(request),
      client,
    );
    if (fresh) this.cookie.write(response, fresh.token);
    sendPage(response, 200, authPages.emailChanged(user.email, fresh !== null));
  }
}
