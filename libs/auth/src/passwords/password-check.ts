import { Injectable } from '@nestjs/common';
import { AppError } from '@intake/common';
import type { User } from '@intake/database';
import type { ClientContext } from '../client-context';
import { LoginGate } from '../login/login-gate';
import { PasswordHasher } from './password-hasher';

/**
 * Confirms a signed-in owner's current password (re-authentication, password change,
 * 2FA and account changes), through the same brute-force gate as sign-in: a stolen
 * session cannot be used to guess the password faster than the login form allows.
 */
@Injectable()
export class PasswordCheck {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly gate: LoginGate,
  ) {}

  /** Throws 422 on `field` when wrong (or when the account has no password), 429 when gated. */
  async assert(user: User, password: string, client: ClientContext, field: string): Promise<void> {
    await this.gate.admit(client.ip, user.email);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      throw AppError.validation({ [field]: ['is incorrect'] });
    }
    await this.gate.succeeded(client.ip, user.email);
  }
}
