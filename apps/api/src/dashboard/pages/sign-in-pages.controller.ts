import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  AccountsService,
  BROWSER_PATHS,
  Client,
  codeInput,
  CurrentSession,
  emailAddressInput,
  loginInput,
  MagicLinkBrowserCookie,
  MagicLinksService,
  Public,
  SessionAuth,
  SessionCookie,
  SignInService,
  signupInput,
  SOCIAL_SIGN_IN_FAILURES,
  type ActiveSession,
  type ClientContext,
  type SignInResult,
  type SocialSignInFailure,
} from '@intake/auth';
import { AppConfig } from '@intake/config';
import { configuredProviders } from '../configured-providers';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { formInput, formProblem } from '../page-forms';
import { sendPage } from '../page';
import { SignInView, SignUpView, TwoFactorStepView } from '../views/sign-in.view';

/** Fixed notices the sign-in page shows after a redirect (`?notice=`). */
const NOTICES = {
  link_sent: 'If this address can sign in, a link is on its way. It works once, for 15 minutes.',
  signed_out: 'You are signed out.',
  account_deleted: 'Your account and all its data are deleted.',
} as const;

/** Unknown values are ignored, not refused: these only pick a fixed text. */
const signInQuery = z.object({
  notice: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
  error: z
    .enum(Object.keys(SOCIAL_SIGN_IN_FAILURES) as [SocialSignInFailure])
    .optional()
    .catch(undefined),
});

/** The address typed into a refused form, shown again (never the password). */
const typedEmail = z.object({ email: z.string().max(320) });

/** Where a first factor leads: the dashboard, or the 2FA step. */
function landing(result: SignInResult): string {
  return result.status === 'signed_in' ? BROWSER_PATHS.dashboard : BROWSER_PATHS.twoFactor;
}

/**
 * Sign-up, sign-in (password, e-mailed link, the 2FA step) and sign-out as pages, on the
 * same services as the JSON routes under /auth. The sign-in posts refuse a foreign Origin
 * (login CSRF), as the JSON routes do.
 */
@Controller()
@DashboardPage()
export class SignInPagesController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly signIn: SignInService,
    private readonly magicLinks: MagicLinksService,
    private readonly linkBrowser: MagicLinkBrowserCookie,
    private readonly cookie: SessionCookie,
    private readonly config: AppConfig,
  ) {}

  @Get(PAGES.signIn)
  @Public()
  signInPage(@Query() query: unknown, @Res() response: Response): void {
    const { notice, error } = signInQuery.parse(query);
    const text = error ? SOCIAL_SIGN_IN_FAILURES[error] : notice ? NOTICES[notice] : null;
    sendPage(response, 200, SignInView({ providers: this.providers(), notice: text }));
  }

  @Post(PAGES.signIn)
  @Public({ sameOrigin: true })
  async signInWithPassword(
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const input = formInput(loginInput, body);
      const user = await this.accounts.checkPassword(input, client);
      response.redirect(303, landing(await this.signIn.begin(user, 'password', client, response)));
    } catch (error) {
      const problem = formProblem(error, response);
      const email = typedEmail.safeParse(body).data?.email;
      sendPage(
        response,
        problem.status,
        SignInView({ providers: this.providers(), problem, email }),
      );
    }
  }

  @Post(PAGES.magicLink)
  @Public({ sameOrigin: true })
  async requestMagicLink(
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const input = formInput(emailAddressInput, body);
      await this.magicLinks.request(input.email, this.linkBrowser.issue(request, response), client);
      response.redirect(303, `${PAGES.signIn}?notice=link_sent`);
    } catch (error) {
      const linkProblem = formProblem(error, response);
      sendPage(
        response,
        linkProblem.status,
        SignInView({ providers: this.providers(), linkProblem }),
      );
    }
  }

  @Get(PAGES.twoFactor)
  @Public()
  twoFactorPage(@Res() response: Response): void {
    sendPage(response, 200, TwoFactorStepView({}));
  }

  @Post(PAGES.twoFactor)
  @Public({ sameOrigin: true })
  async completeTwoFactor(
    @Body() body: unknown,
    @Req() request: Request,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const input = formInput(codeInput, body);
      await this.signIn.complete(request, input.code, client, response);
      response.redirect(303, BROWSER_PATHS.dashboard);
    } catch (error) {
      const problem = formProblem(error, response);
      sendPage(response, problem.status, TwoFactorStepView({ problem }));
    }
  }

  @Get(PAGES.signUp)
  @Public()
  signUpPage(@Res() response: Response): void {
    sendPage(response, 200, SignUpView({}));
  }

  @Post(PAGES.signUp)
  @Public({ sameOrigin: true })
  async signUp(
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    try {
      const { token } = await this.accounts.signup(formInput(signupInput, body), client);
      this.cookie.write(response, token);
      response.redirect(303, BROWSER_PATHS.dashboard);
    } catch (error) {
      const problem = formProblem(error, response);
      const email = typedEmail.safeParse(body).data?.email;
      sendPage(response, problem.status, SignUpView({ problem, email }));
    }
  }

  @Post(PAGES.signOut)
  @SessionAuth()
  async signOut(
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    await this.accounts.logout(session, client);
    this.cookie.clear(response);
    response.redirect(303, `${PAGES.signIn}?notice=signed_out`);
  }

  private providers() {
    return configuredProviders(this.config);
  }
}
