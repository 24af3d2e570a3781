import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AccountsService,
  Client,
  Csrf,
  CurrentSession,
  Public,
  SessionAuth,
  SessionCookie,
  SessionsService,
  SignInService,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { AppError, Consumes, ZodValidationPipe } from '@intake/common';
import { OAuthInteractionsService, OAuthRateLimits, oauthPages } from '@intake/oauth';
import {
  consentInput,
  denyInput,
  interactionCodeInput,
  interactionSignInInput,
  type ConsentInput,
  type DenyInput,
  type InteractionCodeInput,
  type InteractionSignInInput,
} from './oauth-interaction.input';
import { OAuthPageErrors } from './oauth-page-errors';
import { sendOAuthPage } from './oauth-page';

/** Sign-in and consent are also limited per IP, whoever is signed in. */
@Injectable()
class InteractionRateLimit implements CanActivate {
  constructor(private readonly limits: OAuthRateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = await this.limits.admit(
      'interaction',
      context.switchToHttp().getRequest<Request>().ip,
    );
    if (!limit.allowed) throw AppError.rateLimited(limit.resetSeconds);
    return true;
  }
}

/** Sign-in failures that the sign-in form shows again (anything else is an error page). */
const SIGN_IN_REFUSALS = new Set(['unauthorized', 'rate_limited']);

/**
 * The owner's pages of an authorization (the provider sends the browser here): sign in
 * with the dashboard's account (2FA included) unless its session is already there, then
 * approve or deny what the client asks for. Every answer is a page or a 303 onwards.
 */
@Controller('oauth/interaction/:uid')
@UseGuards(InteractionRateLimit)
@UseFilters(OAuthPageErrors)
export class OAuthInteractionController {
  constructor(
    private readonly interactions: OAuthInteractionsService,
    private readonly accounts: AccountsService,
    private readonly signIn: SignInService,
    private readonly cookie: SessionCookie,
    private readonly sessions: SessionsService,
    private readonly csrf: Csrf,
  ) {}

  /** The dashboard session decides who is signing in; without one, the sign-in form. */
  @Get()
  @Public()
  async open(
    @Param('uid') uid: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const token = this.cookie.read(request);
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) {
      const redirectOrigin = await this.interactions.redirectOrigin(request, response, uid);
      const page = oauthPages.signIn(uid, this.interactions.signInToken(uid));
      return sendOAuthPage(response, 200, page, redirectOrigin);
    }
    const next = await this.interactions.open(request, response, uid, session.userId);
    if (next.step === 'redirect') return response.redirect(303, next.to);
    const page = oauthPages.consent({ ...next.view, csrfToken: this.csrf.tokenFor(session.id) });
    sendOAuthPage(response, 200, page, next.redirectOrigin);
  }

  /** Password (and code) as `POST /auth/login` takes them; the session cookie results. */
  @Post('login')
  @Public({ sameOrigin: true })
  @Consumes('application/x-www-form-urlencoded')
  async login(
    @Param('uid') uid: string,
    @Body(new ZodValidationPipe(interactionSignInInput)) input: InteractionSignInInput,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    this.interactions.assertSignInToken(uid, input._csrf);
    const redirectOrigin = await this.interactions.redirectOrigin(request, response, uid);
    try {
      const user = await this.accounts.checkPassword(input, client);
      await this.signIn.withPassword(user, input.code, client, response);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'totp_required') {
        return sendOAuthPage(
          response,
          401,
          oauthPages.secondFactor(uid, this.interactions.signInToken(uid)),
          redirectOrigin,
        );
      }
      if (!SIGN_IN_REFUSALS.has(error.code)) throw error;
      response.set(retryAfter(error));
      return sendOAuthPage(
        response,
        error.status,
        oauthPages.signIn(uid, this.interactions.signInToken(uid), error.message, input.email),
        redirectOrigin,
      );
    }
    response.redirect(303, this.pagePath(uid));
  }

  /** The second step of a sign-in that answered `totp_required` (its pending cookie). */
  @Post('2fa')
  @Public({ sameOrigin: true })
  @Consumes('application/x-www-form-urlencoded')
  async secondFactor(
    @Param('uid') uid: string,
    @Body(new ZodValidationPipe(interactionCodeInput)) input: InteractionCodeInput,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    this.interactions.assertSignInToken(uid, input._csrf);
    const redirectOrigin = await this.interactions.redirectOrigin(request, response, uid);
    try {
      await this.signIn.complete(request, input.code, client, response);
    } catch (error) {
      if (!(error instanceof AppError) || !SIGN_IN_REFUSALS.has(error.code)) throw error;
      response.set(retryAfter(error));
      return sendOAuthPage(
        response,
        error.status,
        oauthPages.secondFactor(uid, this.interactions.signInToken(uid), error.message),
        redirectOrigin,
      );
    }
    response.redirect(303, this.pagePath(uid));
  }

  /** The ticked scopes are granted, the others refused (CSRF: the session's `_csrf`). */
  @Post('consent')
  @SessionAuth()
  @Consumes('application/x-www-form-urlencoded')
  async consent(
    @Param('uid') uid: string,
    @Body(new ZodValidationPipe(consentInput)) input: ConsentInput,
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const to = await this.interactions.approve(
      request,
      response,
      uid,
      session.userId,
      input.scope,
      client,
    );
    response.redirect(303, to);
  }

  @Post('deny')
  @SessionAuth()
  @Consumes('application/x-www-form-urlencoded')
  async deny(
    @Param('uid') uid: string,
    @Body(new ZodValidationPipe(denyInput)) _input: DenyInput,
    @CurrentSession() session: ActiveSession,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    response.redirect(303, await this.interactions.deny(request, response, uid, session.userId));
  }

  private pagePath(uid: string): string {
    return `/oauth/interaction/${encodeURIComponent(uid)}`;
  }
}

function retryAfter(error: AppError): Record<string, string> {
  return error.options.retryAfter === undefined
    ? {}
    : { 'Retry-After': String(error.options.retryAfter) };
}
