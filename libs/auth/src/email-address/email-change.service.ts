import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import { isUniqueViolation, type User } from '@intake/database';
import { Mailer } from '@intake/mail';
import { accountMails } from '../account-tokens/account-mails';
import { ACCOUNT_TOKEN_PURPOSES } from '../account-tokens/account-token-purpose';
import { AccountTokens, unusableLink } from '../account-tokens/account-tokens.service';
import { DeferredMail } from '../account-tokens/deferred-mail';
import { MailRequestLimits } from '../account-tokens/mail-request-limits';
import type { ClientContext } from '../client-context';
import { SessionsService, type ActiveSession } from '../sessions/sessions.service';
import { toUserOutput, type UserOutput } from '../users/user.output';
import { UsersRepository } from '../users/users.repository';
import { EmailAddressRepository } from './email-address.repository';

export interface EmailChanged {
  user: UserOutput;
  /** A new session for the confirming browser, when it was signed in to this account. */
  fresh: { token: string; session: ActiveSession } | null;
}

/**
 * Moving an account to another address: asked for from a recently authenticated session,
 * confirmed by a link mailed to the new address, announced to the old one.
 */
@Injectable()
export class EmailChange {
  constructor(
    private readonly repository: EmailAddressRepository,
    private readonly users: UsersRepository,
    private readonly tokens: AccountTokens,
    private readonly sessions: SessionsService,
    private readonly limits: MailRequestLimits,
    private readonly deferred: DeferredMail,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
  ) {}

  /**
   * Answers the same whether the new address is free or has an account: the lookup and the
   * mail happen after the answer. A free address gets the confirmation link; a taken one a
   * note that nothing changed. The old address is told in both cases.
   */
  async request(ownerId: string, email: string, client: ClientContext): Promise<void> {
    const user = await this.users.findById(ownerId);
    if (!user) throw AppError.unauthorized('Sign in required');
    if (email === user.email) throw AppError.validation({ email: ['is already your address'] });
    await this.limits.admit('email_change', client.ip, user.id);
    await this.audit.record({
      actorId: user.id,
      action: 'user.email_change.requested',
      target: { type: 'user', id: user.id },
      client,
    });
    this.deferred.run('mail an e-mail change', () => this.mail(user, email));
  }

  /** The address a change link would move the account to, if it still can (nothing used). */
  async pending(token: string): Promise<string> {
    return (await this.tokens.peek('email_change', token)).email;
  }

  /**
   * The confirmation posted from the new address's link: the account moves to it
   * (verified), every link mailed to the old address stops working and every session ends;
   * the confirming browser, if it was signed in to this account, gets a new session.
   */
  async confirm(
    token: string,
    sessionToken: string | null,
    client: ClientContext,
  ): Promise<EmailChanged> {
    const redeemed = await this.tokens.redeem('email_change', token, client);
    const user = await this.users.findById(redeemed.userId);
    if (!user) throw unusableLink();
    const browser = sessionToken === null ? null : await this.sessions.resolve(sessionToken);
    const moved = await this.repository
      .changeAddress(user.id, redeemed.email, new Date())
      .catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw new AppError(
          'conflict',
          'Another account took this address meanwhile; nothing changed.',
        );
      });
    await this.tokens.revoke(user, ACCOUNT_TOKEN_PURPOSES);
    const ended = await this.sessions.endAll(user.id);
    const fresh = browser?.userId === user.id ? await this.sessions.start(user.id, client) : null;
    await this.audit.record({
      actorId: user.id,
      action: 'user.email_changed',
      target: { type: 'user', id: user.id },
      client,
      metadata: { sessions_ended: ended },
    });
    return { user: toUserOutput(moved), fresh };
  }

  private async mail(user: User, email: string): Promise<void> {
    // Only the latest request counts: an earlier link stops working.
    await this.tokens.revoke(user, ['email_change']);
    if (await this.users.findByEmail(email)) {
      await this.mailer.send(accountMails.emailChangeTaken(email));
    } else {
      const link = await this.tokens.issue('email_change', { userId: user.id, email });
      await this.mailer.send(accountMails.emailChange(email, link));
    }
    await this.mailer.send(accountMails.emailChangeNotice(user.email, email));
  }
}
