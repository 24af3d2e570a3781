import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { Mailer } from '@intake/mail';
import { accountMails } from '../account-tokens/account-mails';
import { REVOKED_ON_PASSWORD_CHANGE } from '../account-tokens/account-token-purpose';
import { AccountTokens, unusableLink } from '../account-tokens/account-tokens.service';
import { DeferredMail } from '../account-tokens/deferred-mail';
import { MailRequestLimits } from '../account-tokens/mail-request-limits';
import type { ClientContext } from '../client-context';
import { EmailVerification } from '../email-address/email-verification.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { SessionsService } from '../sessions/sessions.service';
import { UsersRepository } from '../users/users.repository';
import type { ResetPasswordInput } from './password-reset.input';

/**
 * "Forgot password": a single-use link (30 minutes) to the account's address, then a new
 * password that ends every session and every other outstanding link of the account.
 */
@Injectable()
export class PasswordReset {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: AccountTokens,
    private readonly verification: EmailVerification,
    private readonly limits: MailRequestLimits,
    private readonly deferred: DeferredMail,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
  ) {}

  /**
   * Answers the same for every address, at once: whether an account exists is looked up
   * after the answer, and an unknown address gets no mail.
   */
  async request(email: string, client: ClientContext): Promise<void> {
    await this.limits.admit('password_reset', client.ip, email);
    this.deferred.run('mail a password reset link', async () => {
      const user = await this.users.findByEmail(email);
      if (!user) return;
      const link = await this.tokens.issue('password_reset', { userId: user.id, email });
      await this.mailer.send(accountMails.passwordReset(email, link));
      await this.audit.record({
        actorId: user.id,
        action: 'user.password_reset.requested',
        target: { type: 'user', id: user.id },
        client,
      });
    });
  }

  /** For the reset page: whether the link still works, consuming nothing. */
  async assertUsable(token: string): Promise<void> {
    await this.tokens.peek('password_reset', token);
  }

  /**
   * Sets the new password. It does not sign in: the link proves the mailbox only, and a
   * session from it would skip the second factor; the owner signs in with the new password.
   */
  async reset(input: ResetPasswordInput, client: ClientContext): Promise<void> {
    const redeemed = await this.tokens.redeem('password_reset', input.token, client);
    const user = await this.users.findById(redeemed.userId);
    if (!user) throw unusableLink();
    await this.users.setPasswordHash(user.id, await this.hasher.hash(input.password));
    const ended = await this.sessions.endAll(user.id);
    await this.tokens.revoke(user, REVOKED_ON_PASSWORD_CHANGE);
    // The link reached the account's mailbox: that is what verification proves.
    await this.verification.markVerified(user, 'password_reset', client);
    await this.audit.record({
      actorId: user.id,
      action: 'user.password_reset.completed',
      target: { type: 'user', id: user.id },
      client,
      metadata: { sessions_ended: ended },
    });
    this.deferred.run('mail a password reset notice', () =>
      this.mailer.send(accountMails.passwordResetDone(user.email)),
    );
  }
}
