import type { OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { assertSafeHeaders, recipientsOf } from './mail-headers';
import { Mailer, type MailMessage } from './mailer';

/**
 * Bounds on a stuck SMTP server, so a job waiting on mail gives up well within its lease.
 * nodemailer's own socket default is 10 minutes.
 */
const TIMEOUT_MS = 10_000;

/**
 * Sends through the SMTP server of `SMTP_URL` over a small connection pool. The URL takes
 * nodemailer's query options, which win over the defaults here, e.g.
 * `smtp://user:pass@host:587?requireTLS=true`, `?ignoreTLS=true` (local test servers),
 * `?pool=false`, `?tls.rejectUnauthorized=false`.
 */
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private readonly transport;

  constructor(url: string, from: string) {
    super();
    this.transport = createTransport(
      {
        url,
        pool: true,
        maxConnections: 2,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
        // Our messages are strings; never let a value be read as a file path or URL to fetch.
        disableFileAccess: true,
        disableUrlAccess: true,
      },
      { from },
    );
  }

  async send(message: MailMessage): Promise<void> {
    assertSafeHeaders(message);
    await this.transport.sendMail({
      to: [...recipientsOf(message)],
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      headers: { ...message.headers },
    });
  }

  /** Closes pooled connections, so the process (or a test) can exit. */
  onModuleDestroy(): void {
    this.transport.close();
  }
}
