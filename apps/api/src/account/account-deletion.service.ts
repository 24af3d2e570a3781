import { Injectable } from '@nestjs/common';
import { AuditMaintenance } from '@intake/audit';
import {
  PasswordCheck,
  SessionsService,
  UsersRepository,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { AppError } from '@intake/common';
import type { User } from '@intake/database';
import { PublishedForms } from '@intake/forms';
import { SubmissionsErasure } from '@intake/submissions';
import type { DeleteAccountInput } from './delete-account.input';

/**
 * `DELETE /account`. Everything the account owns goes in one transaction: the users row
 * cascades to every owned table, the submissions feature removes what the cascade cannot
 * reach (or should not take in one statement), and the audit trail keeps a single
 * pseudonymous entry proving the deletion in place of the owner's own entries.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordCheck,
    private readonly sessions: SessionsService,
    private readonly submissions: SubmissionsErasure,
    private readonly audit: AuditMaintenance,
    private readonly published: PublishedForms,
  ) {}

  async delete(
    session: ActiveSession,
    input: DeleteAccountInput,
    client: ClientContext,
  ): Promise<void> {
    const user = await this.users.findById(session.userId);
    if (!user) throw AppError.unauthorized('Sign in required');
    await this.confirm(user, input, client);
    // Sessions end first, through SessionsService, so their dashboard sockets close too and
    // no other browser keeps acting while the data goes.
    await this.sessions.endAll(user.id);
    let formIds: string[] = [];
    const deleted = await this.users.deleteAccount(user.id, async (tx) => {
      formIds = await this.submissions.eraseOwner(tx, user.id);
      await this.audit.recordDeletion(tx, user.id, client);
    });
    if (!deleted) throw AppError.unauthorized('Sign in required');
    // Other instances stop serving the endpoints when their short settings cache expires.
    for (const formId of formIds) this.published.forget(formId);
  }

  /**
   * The password, through the sign-in brute-force gate (a stolen session cannot guess it
   * faster than the login form allows); an account without one confirms with its address.
   */
  private async confirm(user: User, input: DeleteAccountInput, client: ClientContext) {
    if (user.passwordHash !== null) {
      if (input.password === undefined) throw AppError.validation({ password: ['is required'] });
      await this.passwords.assert(user, input.password, client, 'password');
    } else if (input.confirm?.toLowerCase() !== user.email) {
      throw AppError.validation({
        confirm: [
          input.confirm === undefined
            ? 'is required: this account has no password; type its e-mail address'
            : 'does not match the account’s e-mail address',
        ],
      });
    }
  }
}
