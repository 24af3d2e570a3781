import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { User } from '@intake/database';
import type { ClientContext } from '../client-context';
import { Csrf } from '../sessions/csrf';
import { SessionCookie } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { toUserOutput, type UserOutput } from '../users/user.output';
import { UsersRepository } from '../users/users.repository';
import { PendingSignInCookie } from './pending-sign-in.cookie';
import type { SignInMethod } from './sign-in-method';

export interface SessionStarted {
  status: 'signed_in';
  user: UserOutput;
  csrfToken: string;
}

export type SignInResult = SessionStarted | { status: 'totp_required' };

/**
 * The one way a session comes to exist after a first factor (password, magic link,
 * Google, GitHub): with 2FA off, a fresh session at once; with 2FA on, only a sealed
 * pending-sign-in cookie until a TOTP or backup code completes it. Every path ends in
 * `startSession`, so the session id rotates and the sign-in is audited the same way.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly pending: PendingSignInCookie,
    private readonly csrf: Csrf,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
  ) {}

  /** After a browser flow's first factor: signed in, or a code still owed. */
  async begin(
    user: User,
    method: SignInMethod,
    client: ClientContext,
    response: Response,
  ): Promise<SignInResult> {
    if (!this.twoFactor.isEnabled(user)) return this.startSession(user, method, client, response);
    this.pending.write(response, { userId: user.id, method });
    return { status: 'totp_required' };
  }

  /**
   * `POST /auth/login`: the password already checked, the code (if 2FA is on) may come in
   * the same request; without it the answer is 401 `totp_required` plus the pending cookie,
   * so a browser can finish with `POST /auth/2fa` instead of resending the password.
   */
  async withPassword(
    user: User,
    code: string | undefined,
    client: ClientContext,
    response: Response,
  ): Promise<SessionStarted> {
    if (!this.twoFactor.isEnabled(user)) {
      return this.startSession(user, 'password', client, response);
    }
    if (code === undefined) {
      this.pending.write(response, { userId: user.id, method: 'password' });
      throw new AppError(
        'totp_required',
        'Two-factor authentication is on: send `code` (authenticator or backup code)',
      );
    }
    return this.secondFactor(user, 'password', code, client, response);
  }

  /** `POST /auth/2fa`: completes the pending sign-in of this browser. */
  async complete(
    request: Request,
    code: string,
    client: ClientContext,
    response: Response,
  ): Promise<SessionStarted> {
    const pending = this.pending.read(request);
    const user = pending ? await this.users.findById(pending.userId) : null;
    if (!pending || !user || !this.twoFactor.isEnabled(user)) {
      throw AppError.unauthorized('No sign-in is waiting for a code here; sign in again');
    }
    return this.secondFactor(user, pending.method, code, client, response);
  }

  private async secondFactor(
    user: User,
    method: SignInMethod,
    code: string,
    client: ClientContext,
    response: Response,
  ): Promise<SessionStarted> {
    await this.twoFactor.verifyForSignIn(user, code, client);
    this.pending.clear(response);
    return this.startSession(user, method, client, response);
  }

  private async startSession(
    user: User,
    method: SignInMethod,
    client: ClientContext,
    response: Response,
  ): Promise<SessionStarted> {
    const { token, session } = await this.sessions.start(user.id, client);
    this.cookie.write(response, token);
    await this.audit.record({
      actorId: user.id,
      action: 'user.login.succeeded',
      target: { type: 'session', id: session.id },
      client,
      metadata: { method, second_factor: this.twoFactor.isEnabled(user) },
    });
    return {
      status: 'signed_in',
      user: toUserOutput(user),
      csrfToken: this.csrf.tokenFor(session.id),
    };
  }
}
