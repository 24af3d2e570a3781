import { z } from 'zod';
import type { MailMessage } from '@intake/mail';

const email = z.email();

/**
 * The sender's address from the form's `smart_reply_email_field`, or null when the field
 * is empty or holds no valid address (the reply is then `skipped`).
 */
export function replyRecipient(data: unknown, emailField: string | null): string | null {
  if (!emailField || typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[emailField];
  if (typeof value !== 'string') return null;
  const parsed = email.safeParse(value.trim());
  return parsed.success ? parsed.data : null;
}

/**
 * The auto reply, plain text: the model's words are not trusted to be safe HTML, and a
 * text part cannot carry a hidden link.
 */
export function smartReplyMail(
  reply: { submissionId: string; formId: string; to: string; subject: string; body: string },
  messageIdDomain: string,
): MailMessage {
  return {
    to: reply.to,
    // Subjects were collapsed to one line when drafted; mail-headers refuses a line break.
    subject: reply.subject || 'Re: your message',
    text: reply.body,
    headers: {
      // Stable across retries, so a repeated send after a crash folds into one message.
      'Message-ID': `<reply.${reply.submissionId}@${messageIdDomain}>`,
      'X-Intake-Submission': reply.submissionId,
      'X-Intake-Form': reply.formId,
      // RFC 3834: an automatic answer; auto-responders must not answer it back.
      'Auto-Submitted': 'auto-replied',
    },
  };
}
