import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { DevMailbox } from './dev-mailbox';
import { LogMailer } from './log-mailer';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp-mailer';

/** Without `SMTP_URL` mail goes to the log (and the dev mailbox) instead of a server. */
export function usesLogMailer(config: AppConfig): boolean {
  return !config.env.SMTP_URL;
}

/**
 * Whether `GET /dev/mailbox` exists: only with the log mailer and never in production,
 * where an in-memory copy of mail has no business being served.
 */
export function devMailboxEnabled(config: AppConfig): boolean {
  return usesLogMailer(config) && !config.isProduction;
}

/** Provides `Mailer` (SMTP or log, by configuration) to every module. */
@Global()
@Module({
  providers: [
    DevMailbox,
    {
      provide: Mailer,
      inject: [AppConfig, DevMailbox],
      useFactory: (config: AppConfig, mailbox: DevMailbox): Mailer =>
        config.env.SMTP_URL
          ? new SmtpMailer(config.env.SMTP_URL, config.env.MAIL_FROM)
          : new LogMailer(mailbox),
    },
  ],
  exports: [Mailer, DevMailbox],
})
export class MailModule {}
