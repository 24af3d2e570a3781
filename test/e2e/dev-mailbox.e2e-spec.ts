import { Logger } from '@nestjs/common';
import request from 'supertest';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, signUp, type ApiOwner, type SignedInUser } from '../support/accounts';
import { createForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

interface DevMail {
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  sent_at: string;
}

describe('log mailer and dev mailbox (no SMTP_URL)', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let stranger: SignedInUser;
  const submissionIds: string[] = [];
  const logged: unknown[] = [];

  beforeAll(async () => {
    // What reaches Nest's logger (pino in the app, silenced in tests): the mailer is real.
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(message);
    });
    test = await startTestApp();
    owner = await apiOwner(test);
    stranger = await signUp(test);
    const form = await createForm(owner, { ip_rate_limit: 0, notify_emails: [owner.email] });
    // One at a time, so the mails go out in submission order; processing sends them.
    for (const message of ['Earlier words', 'Private words <script>x</script>']) {
      const response = await request(test.url)
        .post(form.path)
        .send({ email: 'ada@example.com', message })
        .expect(201);
      submissionIds.push((response.body as { id: string }).id);
      await test.app.get(JobRunner).drain();
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await test.close();
  });

  it('shows the owner the mail addressed to them, newest first', async () => {
    const response = await owner.agent.get('/dev/mailbox').expect(200);
    const { messages } = response.body as { messages: DevMail[] };
    // Newest first: the two submission notices, then the sign-up's verification mail.
    expect(messages.map((mail) => mail.headers['X-Intake-Submission'])).toEqual([
      ...[...submissionIds].reverse(),
      undefined,
    ]);
    expect(messages[2]?.subject).toBe('Confirm your e-mail address for Intake');
    expect(messages[0]).toEqual(
      expect.objectContaining({
        to: [owner.email],
        subject: 'New submission to Contact',
        sent_at: expect.any(String),
      }),
    );
    expect(messages[0]?.text).toContain('message: Private words <script>x</script>');
    expect(messages[0]?.html).toContain('Private words &lt;script&gt;x&lt;/script&gt;');
  });

  it('shows another user none of it', async () => {
    const response = await stranger.agent.get('/dev/mailbox').expect(200);
    const { messages } = response.body as { messages: DevMail[] };
    // Only the stranger's own verification mail.
    expect(messages.map((mail) => mail.to)).toEqual([[stranger.email]]);
    expect(JSON.stringify(messages)).not.toMatch(/Private words|Earlier words/);
  });

  it('is for signed-in sessions only, not API keys or anonymous callers', async () => {
    await request(test.url).get('/dev/mailbox').expect(401);
    const byKey = await owner.api('get', '/dev/mailbox');
    expect([401, 403]).toContain(byKey.status);
  });

  it('logs one line per mail with a masked recipient and no body', () => {
    const lines = logged.filter(
      (line) => typeof line === 'object' && line !== null && 'mail' in line,
    );
    // Two verification mails (owner, stranger), then the two submission notices.
    expect(lines).toHaveLength(4);
    const [local] = owner.email.split('@');
    expect(lines[2]).toEqual(
      expect.objectContaining({
        mail: expect.objectContaining({
          to: [`${owner.email[0]}***@example.com`],
          subject: 'New submission to Contact',
        }),
      }),
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain(local);
    expect(text).not.toMatch(/Private words|Earlier words/);
  });
});

describe('dev mailbox in production', () => {
  it('does not exist', async () => {
    const test = await startTestApp({ NODE_ENV: 'production' });
    try {
      await request(test.url).get('/dev/mailbox').expect(404);
    } finally {
      await test.close();
    }
  });
});
