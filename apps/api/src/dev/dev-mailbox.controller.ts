import { Controller, Get } from '@nestjs/common';
import { OwnerId, SessionAuth, UsersRepository } from '@intake/auth';
import { AppError } from '@intake/common';
import { AppConfig } from '@intake/config';
import { DevMailbox, devMailboxEnabled, toDevMailOutput, type DevMailOutput } from '@intake/mail';

/**
 * Development only: the mail the log mailer "sent" to the signed-in owner. AppModule
 * registers it only when `devMailboxEnabled`; the check here keeps it shut should it be
 * registered anywhere else.
 */
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(
    private readonly config: AppConfig,
    private readonly mailbox: DevMailbox,
    private readonly users: UsersRepository,
  ) {}

  @Get()
  @SessionAuth()
  async list(@OwnerId() ownerId: string): Promise<{ messages: DevMailOutput[] }> {
    if (!devMailboxEnabled(this.config)) throw AppError.notFound();
    // Owner-scoped: a shared dev server must not become an open reader of everyone's mail.
    const user = await this.users.findById(ownerId);
    if (!user) throw AppError.notFound();
    return { messages: this.mailbox.addressedTo(user.email).map(toDevMailOutput) };
  }
}
