import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import type { ClientContext } from '../client-context';
import { PASSWORD_MAX } from '../passwords/password.schema';
import { PasswordCheck } from '../passwords/password-check';
import { codeSchema } from '../two-factor/two-factor.input';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { UsersRepository } from '../users/users.repository';
import { SessionsService, type ActiveSession } from './sessions.service';

export const reauthenticateInput = z
  .strictObject({
    password: z
      .string()
      .min(1, 'is required')
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
      .optional(),
    code: codeSchema.optional(),
  })
  .refine((input) => (input.password === undefined) !== (input.code === undefined), {
    path: ['password'],
    message: 'send either your password or a 2FA code',
  });
export type ReauthenticateInput = z.output<typeof reauthenticateInput>;

/**
 * Opens the re-auth window of the current session (REAUTH_WINDOW_MINUTES) on a fresh
 * proof: the password, or a TOTP/backup code. A password-less account without 2FA
 * re-authenticates by signing in again (magic link, Google, GitHub).
 */
@Injectable()
export class ReauthenticationService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordCheck,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
  ) {}

  async reauthenticate(
    session: ActiveSession,
    input: ReauthenticateInput,
    client: ClientContext,
  ): Promise<ActiveSession> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized('Sign in required');
    if (input.password !== undefined) {
      await this.passwords.assert(user, input.password, client, 'password');
    } else if (input.code !== undefined) {
      await this.twoFactor.verifyForReauthentication(user, input.code, client);
    }
    const renewed = await this.sessions.markAuthenticated(session);
    await this.audit.record({
      actorId: user.id,
      action: 'user.reauthenticated',
      target: { type: 'session', id: session.id },
      client,
      metadata: { method: input.password !== undefined ? 'password' : 'code' },
    });
    return renewed;
  }
}
