import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ACCOUNT_LINK_PATHS,
  BROWSER_PATHS,
  Client,
  emailAddressInput,
  linkQuery,
  linkTokenInput,
  MagicLinkBrowserCookie,
  MagicLinksService,
  Public,
  type ClientContext,
  type EmailAddressInput,
  type LinkQuery,
  type LinkTokenInput,
  type SignInResult,
} from '@intake/auth';
import { Consumes, ZodValidationPipe } from '@intake/common';
import { AuthPageErrors, authPages, sendPage } from './auth-pages';

/** Where the browser goes once the link is used: the dashboard, or the 2FA step. */
function landing(result: SignInResult): string {
  return result.status === 'signed_in' ? BROWSER_PATHS.dashboard : BROWSER_PATHS.twoFactor;
}

@Controller()
export class MagicLinkController {
  constructor(
    private readonly magicLinks: MagicLinksService,
    private readonly browser: MagicLinkBrowserCookie,
  ) {}

  /** The same 202 for every address; this browser is marked as the one that asked. */
  @Post('auth/magic-link')
  @HttpCode(202)
  @Public({ sameOrigin: true })
  async request(
    @Body(new ZodValidationPipe(emailAddressInput)) input: EmailAddressInput,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ message: string }> {
    const nonce = this.browser.issue(request, response);
    await this.magicLinks.request(input.email, nonce, client);
    return {
      message: 'If this address can sign in, a link is on its way. It works once, for 15 minutes.',
    };
  }

  /** The mailed link: signs in here only in the asking browser, else asks first. */
  @Get(ACCOUNT_LINK_PATHS.magic_link)
  @Public()
  @UseFilters(AuthPageErrors)
  async open(
    @Query(new ZodValidationPipe(linkQuery, 'query')) query: LinkQuery,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const opened = await this.magicLinks.open(
      query.token,
      this.browser.read(request),
      client,
      response,
    );
    if (opened.status === 'confirm') {
      sendPage(response, 200, authPages.confirmSignIn(opened.email, query.token));
    } else {
      response.redirect(303, landing(opened));
    }
  }

  /** The confirmation page's form post (same origin only: no login CSRF). */
  @Post(ACCOUNT_LINK_PATHS.magic_link)
  @Public({ sameOrigin: true })
  @Consumes('application/x-www-form-urlencoded')
  @UseFilters(AuthPageErrors)
  async confirm(
    @Body(new ZodValidationPipe(linkTokenInput)) input: LinkTokenInput,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    response.redirect(303, landing(await this.magicLinks.confirm(input.token, client, response)));
  }
}
