/** One outgoing e-mail: always a text part; an HTML part when given (user content escaped). */
export interface MailMessage {
  to: string | readonly string[];
  subject: string;
  text: string;
  html?: string;
  /** Threading and de-duplication, e.g. the submission id. */
  headers?: Record<string, string>;
}

/**
 * Sends e-mail. The implementation is chosen by configuration: SMTP (nodemailer) when
 * `SMTP_URL` is set, otherwise the log mailer (which also keeps a dev mailbox).
 * Injected by this abstract class as its token.
 */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}
