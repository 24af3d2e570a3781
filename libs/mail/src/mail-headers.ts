import type { MailMessage } from './mailer';

/** A message whose subject, recipients or headers could smuggle in extra header lines. */
export class MailHeaderError extends Error {
  override readonly name = 'MailHeaderError';
}

/** CR or LF would end the header line and start another (header injection, RFC 5322 §2.2). */
const LINE_BREAK = /[\r\n]/;
/** RFC 5322 §3.6.8 field-name: printable US-ASCII except ':'. */
const FIELD_NAME = /^[!-9;-~]+$/;
/**
 * Headers that `MailMessage` sets from its own fields (or the transport sets): a custom
 * header must not replace them, e.g. add a `Bcc` or change the sender.
 */
const RESERVED = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'return-path',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/**
 * Refuses a message that could inject headers. nodemailer folds and encodes what it is
 * given, but we check first, so the log mailer (which has no composer) is held to the
 * same rule and a bad message fails loudly instead of being silently rewritten.
 */
export function assertSafeHeaders(message: MailMessage): void {
  if (LINE_BREAK.test(message.subject)) throw new MailHeaderError('Subject contains a line break');
  for (const recipient of recipientsOf(message)) {
    if (LINE_BREAK.test(recipient)) throw new MailHeaderError('Recipient contains a line break');
  }
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!FIELD_NAME.test(name)) throw new MailHeaderError(`Invalid header name "${name}"`);
    if (RESERVED.has(name.toLowerCase())) {
      throw new MailHeaderError(`Header ${name} comes from the message itself`);
    }
    if (LINE_BREAK.test(value)) throw new MailHeaderError(`Header ${name} contains a line break`);
  }
}

export function recipientsOf(message: Pick<MailMessage, 'to'>): readonly string[] {
  return typeof message.to === 'string' ? [message.to] : message.to;
}
