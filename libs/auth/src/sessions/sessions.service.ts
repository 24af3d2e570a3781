import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { randomToken, sha256 } from '@intake/common';
import type { ClientContext } from '../client-context';
import { SessionsRepository } from './sessions.repository';

/** How often `last_seen_at` is written: idle tracking needs minutes, not every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ActiveSession {
  id: string;
  userId: string;
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

  constructor(
    private readonly repository: SessionsRepository,
    config: AppConfig,
  ) {
    this.idleMs = config.env.SESSION_IDLE_HOURS * 3_600_000;
    this.absoluteMs = config.env.SESSION_ABSOLUTE_HOURS * 3_600_000;
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
    return { token, session: { id: session.id, userId } };
  }

  async resolve(token: string): Promise<ActiveSession | null> {
    const now = new Date();
    const session = await this.repository.findActiveByTokenHash(sha256(token), now);
    if (!session) return null;
    const idleFor = now.getTime() - session.lastSeenAt.getTime();
    if (idleFor > this.idleMs) return null;
    if (idleFor > TOUCH_INTERVAL_MS) await this.repository.touch(session.userId, session.id, now);
    return { id: session.id, userId: session.userId };
  }

  end(session: ActiveSession): Promise<void> {
    return this.repository.revoke(session.userId, session.id, new Date());
  }
}
