import { MAX_VALUE_CHARS } from './notification-fields';
import { ownerNotificationMail, type NotifiableSubmission } from './owner-notification-mail';

const form = { id: 'form-1', name: 'Contact', notifyEmails: ['owner@example.com'] };
const version = {
  fieldsSchema: {
    fields: [
      { name: 'message', type: 'string', rules: [] },
      { name: 'email', type: 'email', rules: [] },
      { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
    ],
  },
};

function submission(data: Record<string, unknown>): NotifiableSubmission {
  return {
    id: '0190d7a0-0000-7000-8000-000000000001',
    data: data as NotifiableSubmission['data'],
    spam: false,
    processingStatus: 'completed',
    ownerNotifiedAt: null,
    createdAt: new Date('2026-01-02T03:04:05Z'),
    version,
  };
}

describe('ownerNotificationMail', () => {
  it('lists the fields in schema order, without honeypots, in both parts', () => {
    const mail = ownerNotificationMail(
      submission({ email: 'ada@example.com', message: 'Hi', website: 'bot', extra: 3 }),
      form,
      'intake.example.com',
    );
    expect(mail.subject).toBe('New submission to Contact');
    expect(mail.text).toContain('message: Hi\nemail: ada@example.com\nextra: 3\n');
    expect(mail.text).not.toContain('bot');
    expect(mail.html).toMatch(/message<\/th>.*Hi<\/td>[\s\S]*email<\/th>.*ada@example\.com<\/td>/);
    expect(mail.headers).toEqual({
      'Message-ID': '<submission.0190d7a0-0000-7000-8000-000000000001@intake.example.com>',
      'X-Intake-Submission': '0190d7a0-0000-7000-8000-000000000001',
      'X-Intake-Form': 'form-1',
      'Auto-Submitted': 'auto-generated',
    });
  });

  it('escapes user content in the HTML part and makes no links', () => {
    const mail = ownerNotificationMail(
      submission({
        message: '<script>alert(1)</script> <a href="https://evil.example">x</a>',
        '<img src=x onerror=alert(1)>': 'y',
      }),
      { ...form, name: 'A & <B>' },
      'localhost',
    );
    expect(mail.html).not.toMatch(/<script|<a |<img/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('New submission to A &amp; &lt;B&gt;');
  });

  it('truncates long values and keeps the subject on one line', () => {
    const mail = ownerNotificationMail(
      submission({ message: 'x'.repeat(MAX_VALUE_CHARS + 500) }),
      { ...form, name: 'Contact\r\nBcc: victim@example.com' },
      'localhost',
    );
    expect(mail.subject).toBe('New submission to Contact Bcc: victim@example.com');
    expect(mail.text).toContain(`message: ${'x'.repeat(MAX_VALUE_CHARS)}…\n`);
    expect(mail.text).not.toContain('x'.repeat(MAX_VALUE_CHARS + 1));
  });

  it('indents continuation lines, so a value cannot pose as another field', () => {
    const mail = ownerNotificationMail(
      submission({ message: 'hello\nemail: forged@example.com' }),
      form,
      'localhost',
    );
    expect(mail.text).toContain('message: hello\n  email: forged@example.com');
  });
});
