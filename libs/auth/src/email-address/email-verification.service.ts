import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { User } from '@intake/database';
import { Mailer } from '@intake/mail';
import { accountMails } from '../account-tokens/account-mails';
import { AccountTokens, unusableLink } from '../account-tokens/account-tokens.service';
import { DeferredMail } from '../account-tokens/deferred-mail';
import { MailRequestLimits } from '../account-tokens/mail-request-limits';
import type { ClientContext } from '../client-context';
import { toUserOutput, type UserOutput } from '../users/user.output';
import { UsersRepository } from '../users/users.repository';
import { EmailAddressRepository } from './email-address.repository';

/** How the owner showed the address is theirs (the `method` of `user.email_verified`). */
export type VerifiedBy = 'email_verification' | 'magic_link' | 'password_reset';

/**
 * E-mail verification: a link mailed at sign-up (and on request), and the one place that
 * marks an address verified, whichever link proved it.
 */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly repository: EmailAddressRepository,
    private readonly users: UsersRepository,
    private readonly tokens: AccountTokens,
    private readonly limits: MailRequestLimits,
    private readonly deferred: DeferredMail,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
  ) {}

  /** Mails a verification link to the account's address, after the answer. */
  send(account: { id: string; email: string }): void {
    this.deferred.run('mail a verification link', async () => {
      const link = await this.tokens.issue('email_verification', {
        userId: account.id,
        email: account.email,
      });
      await this.mailer.send(accountMails.verification(account.email, link));
    });
  }

  /** `POST /account/email/verification`: a new link, within the hourly mail limit. */
  async resend(ownerId: string, client: ClientContext): Promise<void> {
    const user = await this.users.findById(ownerId);
    if (!user) throw AppError.unauthorized('Sign in required');
    if (user.emailVerifiedAt) {
      throw new AppError('conflict', 'Your e-mail address is already verified');
    }
    await this.limits.admit('email_verification', client.ip, user.id);
    this.send(user);
  }

  /** The address a verification link would confirm, if it still can (nothing used). */
  async pending(token: string): Promise<string> {
    return (await this.tokens.peek('email_verification', token)).email;
  }

  /** The link's confirmation post: marks the address verified (a second use is refused). */
  async verify(token: string, client: ClientContext): Promise<UserOutput> {
    const redeemed = await this.tokens.redeem('email_verification', token, client);
    const user = await this.users.findById(redeemed.userId);
    if (!user) throw unusableLink();
    return toUserOutput(await this.markVerified(user, 'email_verification', client));
  }

  /** Records that the owner controls their address; audited once, when it first happens. */
  async markVerified(user: User, method: VerifiedBy, client: ClientContext): Promise<User> {
    if (user.emailVerifiedAt) return user;
    const verifiedAt = new Date();
    if (await this.repository.markVerified(user.id, verifiedAt)) {
      await this.audit.record({
        actorId: user.id,
        action: 'user.email_verified',
        target: { type: 'user', id: user.id },
        client,
        metadata: { method },
      });
    }
    return { ...user, emailVerifiedAt: verifiedAt };
  }
}
