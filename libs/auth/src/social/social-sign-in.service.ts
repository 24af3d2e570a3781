import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import { isUniqueViolation, type User } from '@intake/database';
import type { ClientContext } from '../client-context';
import { IdentitiesRepository, type NewIdentity } from '../identities/identities.repository';
import { SessionsService, type ActiveSession } from '../sessions/sessions.service';
import { SignInService, type SignInResult } from '../sign-in/sign-in.service';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { UsersRepository } from '../users/users.repository';
import type { ProviderCallback } from './social-callback';
import { SocialCallbackGate } from './social-callback-gate';
import type { ProviderProfile, SocialProvider } from './social-provider';
import type { SocialSignInFailure } from './social-sign-in-failure';

export interface SocialSignInRefused {
  status: 'refused';
  reason: SocialSignInFailure;
  /** The browser is signed in (it was linking, or still is): the error belongs in settings. */
  signedIn: boolean;
}

/** Where a callback ends: signed in, a 2FA code owed, an identity linked, or refused. */
export type SocialSignInOutcome =
  SignInResult | { status: 'linked'; provider: SocialProvider } | SocialSignInRefused;

/** A profile whose address the provider verified: the only kind Intake acts on. */
type VerifiedProfile = ProviderProfile & { email: string };

/**
 * The rules of Google and GitHub sign-in, the same for both providers:
 * - the provider must vouch for a verified address, whatever else happens;
 * - a linked provider account signs in to its Intake account;
 * - otherwise the address decides: an Intake account whose address is verified gets the
 *   identity linked and signs in (both sides verified it); one whose address is unverified
 *   is refused, and nothing is linked (whoever registered the address never proved it, so
 *   a silent link would hand their account to the provider's user, or the reverse); one
 *   with 2FA on is refused too (the link would exist before the code is checked, a way in
 *   waiting for the day 2FA is turned off): its owner signs in and links from settings;
 * - an unknown address creates an account (address verified, no password);
 * - a flow started by a signed-in owner links the identity to that account instead, after a
 *   recent proof of identity (a new way in must not be addable with a stolen session).
 */
@Injectable()
export class SocialSignInService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly signIn: SignInService,
    private readonly twoFactor: TwoFactorService,
    private readonly gate: SocialCallbackGate,
    private readonly audit: AuditService,
  ) {}

  /** The account a flow started now links to: the signed-in owner's, if any. */
  async linkingAccount(sessionToken: string | null): Promise<string | null> {
    return (await this.currentSession(sessionToken))?.userId ?? null;
  }

  /** A callback may go on to exchange its code (per-IP budget, see SocialCallbackGate). */
  admitCallback(client: ClientContext): Promise<boolean> {
    return this.gate.admit(client.ip);
  }

  async complete(
    callback: ProviderCallback,
    sessionToken: string | null,
    client: ClientContext,
    response: Response,
  ): Promise<SocialSignInOutcome> {
    const session = await this.currentSession(sessionToken);
    const refuse = (reason: SocialSignInFailure, account: string | null = null) =>
      this.refuse(callback.provider, reason, client, {
        signedIn: session !== null,
        linkTo: callback.ok ? callback.linkTo : null,
        account,
      });
    if (!callback.ok) return refuse(callback.reason);
    const { profile, linkTo } = callback;
    if (!profile.emailVerified || profile.email === null) return refuse('email_unverified');
    const verified = { ...profile, email: profile.email };
    const outcome = linkTo
      ? await this.linkToOwner(verified, linkTo, session, refuse, client)
      : await this.signInWith(verified, refuse, client, response);
    if (outcome.status !== 'refused') await this.gate.succeeded(client.ip);
    return outcome;
  }

  /** Settings: the provider account joins the signed-in owner's account; nobody signs in. */
  private async linkToOwner(
    profile: VerifiedProfile,
    ownerId: string,
    session: ActiveSession | null,
    refuse: Refuse,
    client: ClientContext,
  ): Promise<SocialSignInOutcome> {
    if (session?.userId !== ownerId) return refuse('session_changed');
    if (!this.recentlyAuthenticated(session)) return refuse('reauthentication_required');
    const linked = await this.identities.findBySubject(profile.provider, profile.subject);
    if (linked) {
      return linked.userId === ownerId
        ? { status: 'linked', provider: profile.provider }
        : refuse('identity_in_use');
    }
    try {
      await this.link(ownerId, profile, null, 'settings', client);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another account took this provider account meanwhile, or this account has one already.
      const raced = await this.identities.findBySubject(profile.provider, profile.subject);
      return refuse(raced ? 'identity_in_use' : 'provider_already_linked');
    }
    return { status: 'linked', provider: profile.provider };
  }

  private async signInWith(
    profile: VerifiedProfile,
    refuse: Refuse,
    client: ClientContext,
    response: Response,
    retried = false,
  ): Promise<SocialSignInOutcome> {
    const now = new Date();
    const identity = await this.identities.findBySubject(profile.provider, profile.subject);
    const owner = identity ? await this.users.findById(identity.userId) : null;
    if (identity && owner) {
      await this.identities.touch(owner.id, identity.id, now);
      return this.signIn.begin(owner, profile.provider, client, response);
    }
    try {
      const user = await this.accountFor(profile, now, client);
      if (user.status === 'refused') return refuse(user.reason, user.account);
      return await this.signIn.begin(user.account, profile.provider, client, response);
    } catch (error) {
      // A concurrent sign-in made this account or linked this identity first: look again, once.
      if (!isUniqueViolation(error) || retried) throw error;
      return this.signInWith(profile, refuse, client, response, true);
    }
  }

  /** The account of the address: linked if both sides verified it, made if there is none. */
  private async accountFor(
    profile: VerifiedProfile,
    now: Date,
    client: ClientContext,
  ): Promise<
    | { status: 'ok'; account: User }
    | { status: 'refused'; reason: SocialSignInFailure; account: string }
  > {
    const existing = await this.users.findByEmail(profile.email);
    if (!existing) return { status: 'ok', account: await this.createAccount(profile, now, client) };
    if (!existing.emailVerifiedAt) {
      return { status: 'refused', reason: 'account_exists_unverified', account: existing.id };
    }
    if (this.twoFactor.isEnabled(existing)) {
      return { status: 'refused', reason: 'link_from_settings', account: existing.id };
    }
    if (
      (await this.identities.list(existing.id)).some(
        (linked) => linked.provider === profile.provider,
      )
    ) {
      return { status: 'refused', reason: 'provider_already_linked', account: existing.id };
    }
    await this.link(existing.id, profile, now, 'sign_in', client);
    return { status: 'ok', account: existing };
  }

  private async createAccount(
    profile: VerifiedProfile,
    now: Date,
    client: ClientContext,
  ): Promise<User> {
    const { user, identity } = await this.identities.createAccount(newIdentity(profile), now);
    await this.audit.record({
      actorId: user.id,
      action: 'user.signup',
      target: { type: 'user', id: user.id },
      client,
      metadata: { method: profile.provider },
    });
    await this.recordLinked(user.id, identity.id, profile.provider, 'sign_up', client);
    return user;
  }

  private async link(
    ownerId: string,
    profile: VerifiedProfile,
    usedAt: Date | null,
    via: LinkedVia,
    client: ClientContext,
  ): Promise<void> {
    const identity = await this.identities.link(ownerId, newIdentity(profile), usedAt);
    await this.recordLinked(ownerId, identity.id, profile.provider, via, client);
  }

  private recordLinked(
    ownerId: string,
    identityId: string,
    provider: SocialProvider,
    via: LinkedVia,
    client: ClientContext,
  ): Promise<void> {
    return this.audit.record({
      actorId: ownerId,
      action: 'identity.linked',
      target: { type: 'identity', id: identityId },
      client,
      metadata: { provider, via },
    });
  }

  /**
   * Refusals are audited: a failed link on the account that started it, a failed sign-in as
   * `user.login.failed` (on the account of the address when one is concerned). A rate-limited
   * callback is not: recording each would let a flood fill the trail.
   */
  private async refuse(
    provider: SocialProvider,
    reason: SocialSignInFailure,
    client: ClientContext,
    context: { signedIn: boolean; linkTo: string | null; account: string | null },
  ): Promise<SocialSignInRefused> {
    if (reason !== 'rate_limited') {
      await this.audit.record(
        context.linkTo
          ? {
              actorId: context.linkTo,
              action: 'identity.link_failed',
              client,
              metadata: { provider, reason },
            }
          : {
              actorId: context.account,
              action: 'user.login.failed',
              client,
              metadata: { method: provider, reason },
            },
      );
    }
    return { status: 'refused', reason, signedIn: context.signedIn };
  }

  private async currentSession(sessionToken: string | null): Promise<ActiveSession | null> {
    return sessionToken === null ? null : this.sessions.resolve(sessionToken);
  }

  private recentlyAuthenticated(session: ActiveSession): boolean {
    try {
      this.sessions.assertRecentlyAuthenticated(session);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'reauthentication_required') return false;
      throw error;
    }
  }
}

type Refuse = (
  reason: SocialSignInFailure,
  account?: string | null,
) => Promise<SocialSignInRefused>;

/** How an identity came to be linked (`identity.linked` metadata). */
type LinkedVia = 'sign_up' | 'sign_in' | 'settings';

function newIdentity(profile: VerifiedProfile): NewIdentity {
  return { provider: profile.provider, subject: profile.subject, email: profile.email };
}
