import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AccountsService,
  Client,
  codeInput,
  Csrf,
  CurrentSession,
  loginInput,
  Public,
  ReauthenticationService,
  reauthenticateInput,
  SessionAuth,
  SessionCookie,
  SignInService,
  signupInput,
  type ActiveSession,
  type ClientContext,
  type CodeInput,
  type LoginInput,
  type ReauthenticateInput,
  type SignupInput,
  type UserOutput,
} from '@intake/auth';
import { ZodValidationPipe } from '@intake/common';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly cookie: SessionCookie,
    private readonly csrf: Csrf,
    private readonly signIn: SignInService,
    private readonly reauthentication: ReauthenticationService,
  ) {}

  @Post('signup')
  @Public({ sameOrigin: true })
  async signup(
    @Body(new ZodValidationPipe(signupInput)) input: SignupInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: UserOutput; csrf_token: string }> {
    const { user, token, session } = await this.accounts.signup(input, client);
    this.cookie.write(response, token);
    return { user, csrf_token: this.csrf.tokenFor(session.id) };
  }

  @Post('login')
  @HttpCode(200)
  @Public({ sameOrigin: true })
  async login(
    @Body(new ZodValidationPipe(loginInput)) input: LoginInput,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: UserOutput; csrf_token: string }> {
    const user = await this.accounts.checkPassword(input, client);
    const { user: output, csrfToken } = await this.signIn.withPassword(
      user,
      input.code,
      client,
      response,
    );
    return { user: output, csrf_token: csrfToken };
  }

  /** Completes a sign-in that answered `totp_required` (pending cookie from that browser). */
  @Post('2fa')
  @HttpCode(200)
  @Public({ sameOrigin: true })
  async secondFactor(
    @Body(new ZodValidationPipe(codeInput)) input: CodeInput,
    @Req() request: Request,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: UserOutput; csrf_token: string }> {
    const { user, csrfToken } = await this.signIn.complete(request, input.code, client, response);
    return { user, csrf_token: csrfToken };
  }

  /** Opens the re-auth window (REAUTH_WINDOW_MINUTES) for sensitive actions. */
  @Post('reauthenticate')
  @HttpCode(200)
  @SessionAuth()
  async reauthenticate(
    @CurrentSession() session: ActiveSession,
    @Body(new ZodValidationPipe(reauthenticateInput)) input: ReauthenticateInput,
    @Client() client: ClientContext,
  ): Promise<{ authenticated_at: string }> {
    const renewed = await this.reauthentication.reauthenticate(session, input, client);
    return { authenticated_at: renewed.authenticatedAt.toISOString() };
  }

  @Post('logout')
  @HttpCode(204)
  @SessionAuth()
  async logout(
    @CurrentSession() session: ActiveSession,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.accounts.logout(session, client);
    this.cookie.clear(response);
  }

  @Get('csrf')
  @SessionAuth()
  token(@CurrentSession() session: ActiveSession): { csrf_token: string } {
    return { csrf_token: this.csrf.tokenFor(session.id) };
  }
}
