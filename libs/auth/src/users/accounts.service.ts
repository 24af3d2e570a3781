import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { User } from '@intake/database';
import { REVOKED_ON_PASSWORD_CHANGE } from '../account-tokens/account-token-purpose';
import { AccountTokens } from '../account-tokens/account-tokens.service';
import type { ClientContext } from '../client-context';
import { EmailVerification } from '../email-address/email-verification.service';
import { LoginGate } from '../login/login-gate';
import { PasswordCheck } from '../passwords/password-check';
import { PasswordHasher } from '../passwords/password-hasher';
import { SessionsService, type ActiveSession } from '../sessions/sessions.service';
import type { ChangePasswordInput, LoginInput, SignupInput } from './credentials.input';
import { toUserOutput, type UserOutput } from './user.output';
import { UsersRepository } from './users.repository';

export interface SignedIn {
  user: UserOutput;
  /** Goes into the session cookie; never stored. */
  token: string;
  session: ActiveSession;
}

/** Password accounts: sign-up, sign-in and sign-out. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly gate: LoginGate,
    private readonly passwords: PasswordCheck,
    private readonly tokens: AccountTokens,
    private readonly verification: EmailVerification,
    private readonly audit: AuditService,
  ) {}

  /** Creates a password account (the admin CLI stops here; sign-up also signs in). */
  async register(input: SignupInput, client: ClientContext): Promise<UserOutput> {
    if (await this.users.findByEmail(input.email)) {
      throw new AppError('conflict', 'An account with this e-mail already exists');
    }
    // A concurrent sign-up for the same address loses on the unique index (P2002 -> 409).
    const user = await this.users.create(input.email, await this.hasher.hash(input.password));
    await this.audit.record({
      actorId: user.id,
      action: 'user.signup',
      target: { type: 'user', id: user.id },
      client,
    });
    return toUserOutput(user);
  }

  async signup(input: SignupInput, client: ClientContext): Promise<SignedIn> {
    const user = await this.register(input, client);
    this.verification.send(user);
    const { token, session } = await this.sessions.start(user.id, client);
    return { user, token, session };
  }

  /**
   * The first factor of a password sign-in. The same 401, after the same argon2 work,
   * whether the e-mail is unknown or the password wrong: neither the answer nor its timing
   * tells which. The session itself is SignInService's (it may still owe a 2FA code).
   */
  async checkPassword(input: LoginInput, client: ClientContext): Promise<User> {
    await this.gate.admit(client.ip, input.email);
    const user = await this.users.findByEmail(input.email);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, input.password);
    if (!user || !valid) {
      await this.audit.record({
        actorId: user?.id ?? null,
        action: 'user.login.failed',
        client,
        metadata: { method: 'password' },
      });
      throw AppError.unauthorized('Invalid email or password');
    }
    await this.gate.succeeded(client.ip, input.email);
    return user;
  }

  async logout(session: ActiveSession, client: ClientContext): Promise<void> {
    await this.sessions.end(session);
    await this.audit.record({
      actorId: session.userId,
      action: 'user.logout',
      target: { type: 'session', id: session.id },
      client,
    });
  }

  /**
   * Changes the password after checking the current one (through the same brute-force
   * gate as sign-in), ends every session of the account, the current one included, and
   * starts a fresh one: a stolen session does not survive a password change, and the
   * session id rotates. An account without a password (magic link, Google, GitHub) sets
   * its first one on the strength of a recent sign-in instead.
   */
  async changePassword(
    session: ActiveSession,
    input: ChangePasswordInput,
    client: ClientContext,
  ): Promise<SignedIn> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized('Sign in required');
    if (user.passwordHash === null) {
      this.sessions.assertRecentlyAuthenticated(session);
    } else if (input.current_password === undefined) {
      throw AppError.validation({ current_password: ['is required'] });
    } else {
      await this.passwords.assert(user, input.current_password, client, 'current_password');
    }
    await this.users.setPasswordHash(user.id, await this.hasher.hash(input.new_password));
    await this.tokens.revoke(user, REVOKED_ON_PASSWORD_CHANGE);
    const ended = await this.sessions.endOthers(session);
    const fresh = await this.sessions.rotate(session, client);
    await this.audit.record({
      actorId: user.id,
      action: 'user.password_changed',
      target: { type: 'user', id: user.id },
      client,
      metadata: { sessions_ended: ended + 1 },
    });
    return { user: toUserOutput(user), ...fresh };
  }
}
