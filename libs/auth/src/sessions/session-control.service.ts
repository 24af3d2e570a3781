import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { ClientContext } from '../client-context';
import { SessionsService, type ActiveSession, type SessionOutput } from './sessions.service';

/** The owner's view of their sessions: list them, end one, or sign out everywhere else. */
@Injectable()
export class SessionControl {
  constructor(
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  list(current: ActiveSession): Promise<SessionOutput[]> {
    return this.sessions.list(current.userId, current.id);
  }

  async revoke(current: ActiveSession, sessionId: string, client: ClientContext): Promise<void> {
    if (!(await this.sessions.revoke(current.userId, sessionId)))
      throw AppError.notFound('Session');
    await this.audit.record({
      actorId: current.userId,
      action: 'session.revoked',
      target: { type: 'session', id: sessionId },
      client,
    });
  }

  async revokeOthers(current: ActiveSession, client: ClientContext): Promise<number> {
    const ended = await this.sessions.endOthers(current);
    await this.audit.record({
      actorId: current.userId,
      action: 'session.revoked_others',
      target: { type: 'session', id: current.id },
      client,
      metadata: { sessions_ended: ended },
    });
    return ended;
  }
}
