import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { MailMessage } from './mailer';
import { recipientsOf } from './mail-headers';

/** How many messages the dev mailbox keeps; older ones drop off (memory stays bounded). */
export const DEV_MAILBOX_SIZE = 50;

/** A message the log mailer "sent", as the dev mailbox shows it. */
export interface KeptMail {
  id: string;
  to: readonly string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Readonly<Record<string, string>>;
  sentAt: Date;
}

/**
 * The last messages of the log mailer, in this process's memory only: a development aid
 * for reading mail without an SMTP server. Read per recipient, never as a whole.
 */
@Injectable()
export class DevMailbox {
  private readonly kept: KeptMail[] = [];

  keep(message: MailMessage): KeptMail {
    const mail: KeptMail = {
      id: randomUUID(),
      to: [...recipientsOf(message)],
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      headers: { ...message.headers },
      sentAt: new Date(),
    };
    this.kept.push(mail);
    if (this.kept.length > DEV_MAILBOX_SIZE) this.kept.shift();
    return mail;
  }

  /** Messages addressed to `email` (case-insensitive), newest first. */
  addressedTo(email: string): KeptMail[] {
    const wanted = email.toLowerCase();
    return this.kept
      .filter((mail) => mail.to.some((recipient) => addressesOf(recipient).includes(wanted)))
      .reverse();
  }
}

/** `"Jane" <jane@example.com>, bob@example.com` -> both bare addresses, lower-cased. */
function addressesOf(recipient: string): string[] {
  return addressparser(recipient, { flatten: true }).map((entry) => entry.address.toLowerCase());
}
