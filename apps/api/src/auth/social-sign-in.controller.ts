import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  BROWSER_PATHS,
  Client,
  Public,
  SessionCookie,
  SocialCallbackGuard,
  SocialSignInService,
  SocialStartGuard,
  type ClientContext,
  type SocialSignInOutcome,
} from '@intake/auth';

/**
 * Where the browser lands after a callback. Sign-ins go where magic links go; links and the
 * errors of a signed-in browser go to the dashboard (its settings show identities), other
 * errors to the sign-in page; `error` names a SOCIAL_SIGN_IN_FAILURES code.
 */
function landing(outcome: SocialSignInOutcome): string {
  switch (outcome.status) {
    case 'signed_in':
      return BROWSER_PATHS.dashboard;
    case 'totp_required':
      return BROWSER_PATHS.twoFactor;
    case 'linked':
      return `${BROWSER_PATHS.dashboard}?linked=${outcome.provider}`;
    case 'refused':
      return `${outcome.signedIn ? BROWSER_PATHS.dashboard : BROWSER_PATHS.signIn}?error=${outcome.reason}`;
  }
}

/**
 * Google and GitHub sign-in (and linking, from a signed-in browser). Passport runs in the
 * guards: the start routes answer with the guard's redirect to the provider, the callbacks
 * with a 303 to where the browser lands.
 */
@Controller('auth')
@Public()
export class SocialSignInController {
  constructor(
    private readonly socialSignIn: SocialSignInService,
    private readonly sessionCookie: SessionCookie,
  ) {}

  /** Answered by the guard (302 to Google). */
  @Get('google')
  @UseGuards(SocialStartGuard('google'))
  startGoogle(): void {}

  @Get('google/callback')
  @UseGuards(SocialCallbackGuard('google'))
  googleCallback(
    @Req() request: Request,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    return this.finish(request, client, response);
  }

  /** Answered by the guard (302 to GitHub). */
  @Get('github')
  @UseGuards(SocialStartGuard('github'))
  startGitHub(): void {}

  @Get('github/callback')
  @UseGuards(SocialCallbackGuard('github'))
  githubCallback(
    @Req() request: Request,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    return this.finish(request, client, response);
  }

  private async finish(request: Request, client: ClientContext, response: Response): Promise<void> {
    const callback = request.socialSignIn;
    if (!callback) throw new Error('The social callback guard did not run');
    const outcome = await this.socialSignIn.complete(
      callback,
      this.sessionCookie.read(request),
      client,
      response,
    );
    response.redirect(303, landing(outcome));
  }
}
