import { assertSafeHeaders, MailHeaderError } from './mail-headers';
import type { MailMessage } from './mailer';

const base: MailMessage = { to: 'ada@example.com', subject: 'Hello', text: 'Body' };

describe('assertSafeHeaders', () => {
  it('accepts an ordinary message with custom headers', () => {
    expect(() =>
      assertSafeHeaders({
        ...base,
        headers: { 'X-Intake-Submission': 'abc', 'Message-ID': '<a@b>' },
      }),
    ).not.toThrow();
  });

  it.each([
    ['a CR/LF in the subject', { subject: 'Hi\r\nBcc: victim@example.com' }],
    ['a bare LF in the subject', { subject: 'Hi\nBcc: victim@example.com' }],
    ['a bare CR in the subject', { subject: 'Hi\rBcc: victim@example.com' }],
    ['a line break in a header value', { headers: { 'X-Note': 'a\r\nBcc: victim@example.com' } }],
    ['a line break in a header name', { headers: { 'X-Note\r\nBcc': 'victim@example.com' } }],
    ['a colon in a header name', { headers: { 'Bcc: victim@example.com\r\nX': 'y' } }],
    ['a custom Bcc header', { headers: { bcc: 'victim@example.com' } }],
    ['a custom From header', { headers: { From: 'ceo@example.com' } }],
    ['a line break in a recipient', { to: ['ok@example.com', 'a@example.com\r\nBcc: v@x.io'] }],
  ])('refuses %s', (_, change) => {
    expect(() => assertSafeHeaders({ ...base, ...change })).toThrow(MailHeaderError);
  });
});
