import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import {
  IdentitiesService,
  SessionControl,
  TwoFactorService,
  UsersRepository,
  type ActiveSession,
} from '@intake/auth';
import { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { OAuthConnectionsService } from '@intake/oauth';
import { configuredProviders } from './configured-providers';
import { sendPage } from './page';
import type { FormProblem } from './page-forms';
import { Viewers } from './viewers';
import { SecurityView, type SecurityForm, type SecurityState } from './views/security.view';

/** Renders the security page for the signed-in owner (shared with the 2FA pages). */
@Injectable()
export class SecurityPage {
  constructor(
    private readonly users: UsersRepository,
    private readonly twoFactor: TwoFactorService,
    private readonly control: SessionControl,
    private readonly identities: IdentitiesService,
    private readonly connections: OAuthConnectionsService,
    private readonly viewers: Viewers,
    private readonly config: AppConfig,
  ) {}

  async render(
    response: Response,
    session: ActiveSession,
    status: number,
    extra: { notice?: string | null; problem?: { form: SecurityForm; problem: FormProblem } },
  ): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized();
    const [viewer, sessions, identities, aiClients] = await Promise.all([
      this.viewers.of(session),
      this.control.list(session),
      this.identities.list(session.userId),
      this.connections.list(session.userId),
    ]);
    const state: SecurityState = {
      twoFactor: this.twoFactor.isEnabled(user),
      hasPassword: user.passwordHash !== null,
      sessions,
      identities,
      aiClients,
      providers: configuredProviders(this.config),
    };
    sendPage(response, status, SecurityView({ viewer, ...state, ...extra }));
  }
}
