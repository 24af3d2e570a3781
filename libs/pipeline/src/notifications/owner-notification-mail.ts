import escapeHtml from 'escape-html';
import type { Form, FormVersion, Prisma, ProcessingStatus } from '@intake/database';
import type { MailMessage } from '@intake/mail';
import { notificationFields, truncate, type NotificationField } from './notification-fields';

/** What a notification needs of a submission; a Prisma `Submission` (with `version`) fits. */
export interface NotifiableSubmission {
  id: string;
  data: Prisma.JsonValue;
  spam: boolean;
  processingStatus: ProcessingStatus;
  createdAt: Date;
  ownerNotifiedAt: Date | null;
  /** The version it was validated against: gives the fields their schema order. */
  version?: Pick<FormVersion, 'fieldsSchema'>;
}

export type NotifiableForm = Pick<Form, 'id' | 'name'> & { notifyEmails: readonly string[] };

/**
 * The owner's "new submission" mail, without recipients. Every submitted value is escaped
 * in the HTML part, and no link is made from user data: a submission must not be able to
 * put a clickable phishing link into the owner's mailbox under our name.
 */
export function ownerNotificationMail(
  submission: NotifiableSubmission,
  form: NotifiableForm,
  messageIdDomain: string,
): Omit<MailMessage, 'to'> {
  const formName = oneLine(form.name);
  const fields = notificationFields(submission.data, submission.version?.fieldsSchema);
  const received = submission.createdAt.toISOString();
  return {
    subject: `New submission to ${formName}`,
    text: textPart(formName, fields, submission.id, received),
    html: htmlPart(formName, fields, submission.id, received),
    headers: {
      // The same id on every retry, so mail clients can fold a repeated send into one.
      'Message-ID': `<submission.${submission.id}@${messageIdDomain}>`,
      'X-Intake-Submission': submission.id,
      'X-Intake-Form': form.id,
      // RFC 3834: tells auto-responders not to answer (no vacation-reply loops).
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/** The form name in a subject: control characters (line breaks!) become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return truncate(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), 150) || 'your form';
}

function textPart(
  formName: string,
  fields: NotificationField[],
  id: string,
  received: string,
): string {
  const lines = fields.map(
    // Continuation lines indented, so a value cannot pass itself off as another field.
    ({ name, value }) => `${name}: ${value.replace(/\r\n?|\n/g, '\n  ')}`,
  );
  return [
    `New submission to ${formName}`,
    '',
    ...(lines.length ? lines : ['(no field values)']),
    '',
    `Submission ${id}, received ${received}`,
    '',
  ].join('\n');
}

function htmlPart(
  formName: string,
  fields: NotificationField[],
  id: string,
  received: string,
): string {
  const rows = fields
    .map(
      ({ name, value }) =>
        `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0">${escapeHtml(name)}</th>` +
        `<td style="padding:4px 0;white-space:pre-wrap">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  return [
    '<!doctype html>',
    '<html><body style="font-family:sans-serif;font-size:14px">',
    `<h1 style="font-size:18px">New submission to ${escapeHtml(formName)}</h1>`,
    rows ? `<table>\n${rows}\n</table>` : '<p>(no field values)</p>',
    `<p style="color:#666;font-size:12px">Submission ${escapeHtml(id)}, received ${escapeHtml(received)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
