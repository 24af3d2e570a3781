import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  AccountsService,
  Client,
  Csrf,
  CurrentSession,
  loginInput,
  Public,
  SessionAuth,
  SessionCookie,
  signupInput,
  type ActiveSession,
  type ClientContext,
  type LoginInput,
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
    const { user, token, session } = await this.accounts.login(input, client);
    this.cookie.write(response, token);
    return { user, csrf_token: this.csrf.tokenFor(session.id) };
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
