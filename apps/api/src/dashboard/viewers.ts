import { Injectable } from '@nestjs/common';
import { Csrf, UsersRepository, type ActiveSession } from '@intake/auth';
import { AppError } from '@intake/common';
import type { Viewer } from './views/layout';

/** The signed-in person as every page shows them: address, and the CSRF token for forms. */
@Injectable()
export class Viewers {
  constructor(
    private readonly users: UsersRepository,
    private readonly csrf: Csrf,
  ) {}

  async of(session: ActiveSession): Promise<Viewer> {
    const user = await this.users.findById(session.userId);
    // The session outlived its account (deleted meanwhile): sign in again.
    if (!user) throw AppError.unauthorized();
    return { email: user.email, csrf: this.csrf.tokenFor(session.id) };
  }
}
