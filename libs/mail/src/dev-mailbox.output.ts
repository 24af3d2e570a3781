import type { KeptMail } from './dev-mailbox';

export interface DevMailOutput {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  sent_at: string;
}

export function toDevMailOutput(mail: KeptMail): DevMailOutput {
  return {
    id: mail.id,
    to: [...mail.to],
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { ...mail.headers },
    sent_at: mail.sentAt.toISOString(),
  };
}
