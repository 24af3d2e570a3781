import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { AppError, randomToken, sha256 } from '@intake/common';
import { OwnerEvents } from '@intake/realtime';
import type { ClientContext } from '../client-context';
import { SessionsRepository } from './sessions.repository';

/** How often `last_seen_at` is written: idle tracking needs minutes, not every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionOutput {
  id: string;
  current: boolean;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface ActiveSession {
  id: string;
  userId: string;
  /** Last proof of identity in this session (sign-in, password or 2FA code). */
  authenticatedAt: Date;
}

/**
 * Server-side sessions. The browser holds a 256-bit random token (inside the sealed
 * cookie); the database holds only its SHA-256, so a database leak yields no session.
 * A session ends when revoked, after `SESSION_IDLE_HOURS` without use, or
 * `SESSION_ABSOLUTE_HOURS` after sign-in, whichever comes first.
 */
@Injectable()
export class SessionsService {
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly reauthWindowMs: number;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly events: OwnerEvents,
    config: AppConfig,
  ) {
    this.idleMs = config.env.SESSION_IDLE_HOURS * 3_600_000;
    this.absoluteMs = config.env.SESSION_ABSOLUTE_HOURS * 3_600_000;
    this.reauthWindowMs = config.env.REAUTH_WINDOW_MINUTES * 60_000;
  }

  /** Starts a session; the returned token goes into the cookie and is never stored. */
  async start(
    userId: string,
    client: ClientContext,
  ): Promise<{ token: string; session: ActiveSession }> {
    const token = randomToken();
    const session = await this.repository.create({
      userId,
      tokenHash: sha256(token),
      ip: client.ip,
      userAgent: client.userAgent,
      expiresAt: new Date(Date.now() + this.absoluteMs),
    });
    return {
      token,
      session: { id: session.id, userId, authenticatedAt: session.authenticatedAt },
    };
  }

  async resolve(token: string): Promise<ActiveSession | null> {
    const now = new Date();
    const session = await this.repository.findActiveByTokenHash(sha256(token), now);
    if (!session) return null;
    const idleFor = now.getTime() - session.lastSeenAt.getTime();
    if (idleFor > this.idleMs) return null;
    if (idleFor > TOUCH_INTERVAL_MS) await this.repository.touch(session.userId, session.id, now);
    return { id: session.id, userId: session.userId, authenticatedAt: session.authenticatedAt };
  }

  /** Sensitive actions: 403 `reauthentication_required` unless the last proof is recent. */
  assertRecentlyAuthenticated(session: ActiveSession): void {
    if (Date.now() - session.authenticatedAt.getTime() > this.reauthWindowMs) {
      throw new AppError(
        'reauthentication_required',
        'Confirm it is you first: POST /auth/reauthenticate with your password or a 2FA code',
      );
    }
  }

  /** Records a fresh proof of identity (password or 2FA code) for the re-auth window. */
  async markAuthenticated(session: ActiveSession): Promise<ActiveSession> {
    const authenticatedAt = new Date();
    await this.repository.setAuthenticatedAt(session.userId, session.id, authenticatedAt);
    return { ...session, authenticatedAt };
  }

  /**
   * Replaces the session by a fresh one (new id, new token, authenticated now) after a
   * privilege change, so a token captured before it is worth nothing after it.
   */
  async rotate(
    session: ActiveSession,
    client: ClientContext,
  ): Promise<{ token: string; session: ActiveSession }> {
    await this.end(session);
    return this.start(session.userId, client);
  }

  async end(session: ActiveSession): Promise<void> {
    await this.revoke(session.userId, session.id);
  }

  /**
   * Ends one of the owner's sessions; false when there is no such active session. Its
   * dashboard sockets are closed too, on every instance.
   */
  async revoke(ownerId: string, sessionId: string): Promise<boolean> {
    const revoked = await this.repository.revoke(ownerId, sessionId, new Date());
    if (revoked) this.events.disconnectSessions([sessionId]);
    return revoked;
  }

  /** Ends every session of the owner (password reset, account-wide sign-out); how many. */
  endAll(ownerId: string): Promise<number> {
    return this.revokeAllExcept(ownerId, null);
  }

  /** "Sign out everywhere else": every session of the owner but `current` ends; how many. */
  endOthers(current: ActiveSession): Promise<number> {
    return this.revokeAllExcept(current.userId, current.id);
  }

  private async revokeAllExcept(ownerId: string, keepId: string | null): Promise<number> {
    const revoked = await this.repository.revokeAllExcept(ownerId, keepId, new Date());
    this.events.disconnectSessions(revoked);
    return revoked.length;
  }

  /** The owner's usable sessions (idle ones past SESSION_IDLE_HOURS are left out). */
  async list(ownerId: string, currentId: string): Promise<SessionOutput[]> {
    const now = new Date();
    const sessions = await this.repository.listActive(ownerId, now);
    return sessions
      .filter((session) => now.getTime() - session.lastSeenAt.getTime() <= this.idleMs)
      .map((session) => ({
        id: session.id,
        current: session.id === currentId,
        ip: session.ip,
        user_agent: session.userAgent,
        created_at: session.createdAt.toISOString(),
        last_seen_at: session.lastSeenAt.toISOString(),
      }));
  }
}
