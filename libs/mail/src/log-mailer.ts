import { Logger } from '@nestjs/common';
import { maskEmails } from '@intake/common';
import { DevMailbox } from './dev-mailbox';
import { assertSafeHeaders, recipientsOf } from './mail-headers';
import { Mailer, type MailMessage } from './mailer';

/**
 * The mailer without `SMTP_URL`: one log line per message and a copy in the dev mailbox.
 * The log line names masked recipients and the subject only; bodies carry submitted data,
 * which has no place in logs.
 */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mail');

  constructor(private readonly mailbox: DevMailbox) {
    super();
  }

  // async: a refused message is a rejected promise, like the SMTP mailer's, not a throw.
  async send(message: MailMessage): Promise<void> {
    assertSafeHeaders(message);
    const kept = this.mailbox.keep(message);
    this.logger.log({
      msg: 'Mail written to the log (SMTP_URL unset)',
      mail: {
        id: kept.id,
        // Masked here as well as by the log formatter, so this holds whatever logger is in use.
        to: recipientsOf(message).map(maskEmails),
        subject: message.subject,
      },
    });
  }
}
