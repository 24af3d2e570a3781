import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '@intake/audit';
import { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { isUniqueViolation, type AccountToken, type User } from '@intake/database';
import { Mailer } from '@intake/mail';
import { accountMails } from '../account-tokens/account-mails';
import { AccountTokens, unusableLink } from '../account-tokens/account-tokens.service';
import { DeferredMail } from '../account-tokens/deferred-mail';
import { MailRequestLimits } from '../account-tokens/mail-request-limits';
import type { ClientContext } from '../client-context';
import { EmailVerification } from '../email-address/email-verification.service';
import { SignInService, type SignInResult } from '../sign-in/sign-in.service';
import { UsersRepository } from '../users/users.repository';

/** Opening a link: signed in (or a code owed), or, in another browser, a question first. */
export type MagicLinkOpened = SignInResult | { status: 'confirm'; email: string };

/**
 * Passwordless sign-in by a single-use link (15 minutes). A link signs in silently only in
 * the browser that asked for it; elsewhere a confirmation page posts it back, so neither a
 * mail scanner's prefetch nor a link planted by someone else signs anyone in unasked.
 */
@Injectable()
export class MagicLinksService {
  private readonly signupOpen: boolean;

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: AccountTokens,
    private readonly verification: EmailVerification,
    private readonly signIn: SignInService,
    private readonly limits: MailRequestLimits,
    private readonly deferred: DeferredMail,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.signupOpen = config.env.MAGIC_LINK_SIGNUP;
  }

  /**
   * Answers the same for every address, at once: the account lookup, the token and the
   * mail come after the answer. A known address gets a sign-in link; an unknown one a
   * sign-up link when MAGIC_LINK_SIGNUP is on, else nothing. Only requests that concern an
   * account are audited: an unknown address is recorded nowhere.
   */
  async request(email: string, browserNonce: string, client: ClientContext): Promise<void> {
    await this.limits.admit('magic_link', client.ip, email);
    this.deferred.run('mail a magic link', async () => {
      const user = await this.users.findByEmail(email);
      if (!user && !this.signupOpen) return;
      const recipient = { userId: user?.id ?? null, email };
      const link = await this.tokens.issue('magic_link', recipient, browserNonce);
      if (!user) return this.mailer.send(accountMails.signUpLink(email, link));
      await this.mailer.send(accountMails.signInLink(email, link));
      await this.audit.record({
        actorId: user.id,
        action: 'user.magic_link.requested',
        target: { type: 'user', id: user.id },
        client,
      });
    });
  }

  /** `GET` on the link: consumes it only in the browser that asked for it. */
  async open(
    token: string,
    browserNonce: string | null,
    client: ClientContext,
    response: Response,
  ): Promise<MagicLinkOpened> {
    const claimed = await this.tokens.claim('magic_link', token, client, { browserNonce });
    if (claimed.ok) return this.signInWith(claimed.token, client, response);
    if (claimed.reason === 'other_browser' && claimed.token) {
      return { status: 'confirm', email: claimed.token.email };
    }
    throw unusableLink();
  }

  /** The confirmation page's post: the person at this browser chose to sign in. */
  async confirm(token: string, client: ClientContext, response: Response): Promise<SignInResult> {
    const claimed = await this.tokens.claim('magic_link', token, client);
    if (!claimed.ok) throw unusableLink();
    return this.signInWith(claimed.token, client, response);
  }

  private async signInWith(
    token: AccountToken,
    client: ClientContext,
    response: Response,
  ): Promise<SignInResult> {
    const account = await this.accountFor(token, client);
    const user = await this.verification.markVerified(account, 'magic_link', client);
    return this.signIn.begin(user, 'magic_link', client, response);
  }

  /** The link's account; for a sign-up link, the account of its address, made if need be. */
  private async accountFor(token: AccountToken, client: ClientContext): Promise<User> {
    if (token.userId !== null) {
      const user = await this.users.findById(token.userId);
      if (!user) throw unusableLink();
      return user;
    }
    // Someone may have signed up with this address since the link was mailed.
    const existing = await this.users.findByEmail(token.email);
    if (existing) return existing;
    if (!this.signupOpen) {
      throw new AppError('forbidden', 'Signing up by e-mail link is turned off on this server');
    }
    try {
      const created = await this.users.createVerified(token.email, new Date());
      await this.audit.record({
        actorId: created.id,
        action: 'user.signup',
        target: { type: 'user', id: created.id },
        client,
        metadata: { method: 'magic_link' },
      });
      return created;
    } catch (error) {
      // A concurrent sign-up for this address won: the link's account is that one.
      const raced = isUniqueViolation(error) ? await this.users.findByEmail(token.email) : null;
      if (!raced) throw error;
      return raced;
    }
  }
}
