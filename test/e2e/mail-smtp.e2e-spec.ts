import request from 'supertest';
import { DeferredMail } from '@intake/auth';
import { Mailer, MailHeaderError } from '@intake/mail';
import { JobRunner, OwnerNotifications } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

describe('owner notifications over SMTP', () => {
  let smtp: SmtpSink;
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  let notifications: OwnerNotifications;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    test = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Intake <intake@example.test>' });
    owner = await apiOwner(test);
    // The sign-up's verification mail is not what these tests count.
    await test.app.get(DeferredMail).settled();
    form = await createForm(owner, {
      name: 'Sales <leads>',
      ip_rate_limit: 0,
      notify_emails: ['first@example.com', 'second@example.com'],
    });
    notifications = test.app.get(OwnerNotifications);
  });
  afterAll(async () => {
    await test.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  /** Submits through the public endpoint and runs the pipeline, like production would. */
  async function processed(body: Record<string, unknown>) {
    const { id } = (await request(test.url).post(form.path).send(body).expect(201)).body as {
      id: string;
    };
    await test.app.get(JobRunner).drain();
    return test.prisma.submission.findUniqueOrThrow({
      where: { id },
      include: { form: true, version: true },
    });
  }

  it('mails each recipient, once, a text and an escaped HTML part with the submission headers', async () => {
    const submission = await processed({
      email: 'ada@example.com',
      name: '<b>Ada</b>',
      message: '<script>alert("owned")</script> see https://evil.example',
    });
    expect(submission.processingStatus).toBe('completed');
    // The pipeline sent it while processing, and recorded that it did.
    expect(submission.ownerNotifiedAt).not.toBeNull();
    await expect(notifications.notifySubmission(submission, submission.form)).resolves.toBe(
      'already_sent',
    );

    expect(smtp.received.map((mail) => mail.rcptTo).sort()).toEqual([
      ['first@example.com'],
      ['second@example.com'],
    ]);
    for (const { parsed, raw } of smtp.received) {
      expect(parsed.subject).toBe('New submission to Sales <leads>');
      expect(parsed.from?.value).toEqual([{ name: 'Intake', address: 'intake@example.test' }]);
      expect(parsed.messageId).toBe(`<submission.${submission.id}@localhost>`);
      expect(parsed.headers.get('x-intake-submission')).toBe(submission.id);
      expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
      // Each recipient sees only their own address.
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.length : 0).toBe(1);
      expect(raw).not.toMatch(/^bcc:/im);

      expect(parsed.text).toContain('message: <script>alert("owned")</script>');
      expect(parsed.text).toContain('name: <b>Ada</b>');
      const html = String(parsed.html);
      expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
      expect(html).toContain('&lt;b&gt;Ada&lt;/b&gt;');
      expect(html).toContain('New submission to Sales &lt;leads&gt;');
      expect(html).not.toMatch(/<script|<b>|<a /i);
    }
  });

  it('sends nothing for spam', async () => {
    const spam = await processed({ email: 'bot@example.com', message: 'x', website: 'filled' });
    expect(spam.spam).toBe(true);
    await expect(notifications.notifySubmission(spam, spam.form)).resolves.toBe('not_eligible');
    expect(smtp.received).toEqual([]);
  });

  it('refuses header injection before anything reaches the server', async () => {
    const mailer = test.app.get(Mailer);
    await expect(
      mailer.send({
        to: 'first@example.com',
        subject: 'Hello\r\nBcc: victim@example.com',
        text: 'x',
      }),
    ).rejects.toThrow(MailHeaderError);
    await expect(
      mailer.send({
        to: 'first@example.com',
        subject: 'Hello',
        text: 'x',
        headers: { 'X-Intake-Submission': 'id\nBcc: victim@example.com' },
      }),
    ).rejects.toThrow(MailHeaderError);
    expect(smtp.received).toEqual([]);
  });

  it('has no dev mailbox when SMTP is configured', async () => {
    await owner.agent.get('/dev/mailbox').expect(404);
  });
});
