import request from 'supertest';
import { DeferredMail } from '@intake/auth';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { fakeModel, KNOWLEDGE_BASE } from '../support/ai-test-app';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { createForm } from '../support/forms';
import {
  discordPayload,
  shapeCheckingReply,
  slackPayload,
  startReceiver,
  verifyingReply,
  verifyWebhook,
  type Receiver,
} from '../support/receivers';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * One submission to a form with every feature on, through the whole pipeline, against real
 * local peers: an OpenAI-compatible server, an SMTP server, and webhook, Slack-shaped and
 * Discord-shaped receivers.
 */
describe('a submission with every feature on', () => {
  let fake: FakeOpenAi;
  let smtp: SmtpSink;
  let test: TestApp;
  let owner: ApiOwner;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    fake.answer = fakeModel;
    smtp = await startSmtpSink();
    test = await startTestApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_MODEL: 'test-model',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Intake <intake@example.test>',
      // The receivers listen on loopback.
      ALLOW_PRIVATE_DESTINATIONS: 'true',
    });
    owner = await apiOwner(test);
    // The sign-up's verification mail is not what this test counts.
    await test.app.get(DeferredMail).settled();
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await test.close();
    await Promise.all([smtp.close(), fake.close()]);
  });

  it('is classified, translated, answered in draft, mailed to the owner and delivered to every destination', async () => {
    const knowledgeBase = (
      await owner
        .api('post', '/api/knowledge_bases')
        .send({ name: 'FAQ', content: KNOWLEDGE_BASE })
        .expect(201)
    ).body.knowledge_base;
    const form = await createForm(owner, {
      ip_rate_limit: 0,
      spam_protection_enabled: true,
      spam_protection_strategy: 'intelligent',
      intent: 'Sales enquiries about office furniture',
      localisation_enabled: true,
      smart_reply_enabled: true,
      smart_replies_mode: 'draft',
      smart_reply_email_field: 'email',
      knowledge_base_id: knowledgeBase.id,
      notify_emails: ['owner-inbox@example.com'],
    });
    const [hook, slack, discord] = await Promise.all([
      startReceiver(),
      startReceiver('/slack'),
      startReceiver('/discord'),
    ]);
    receivers.push(hook, slack, discord);
    const webhook = (
      await owner
        .api('post', `/api/forms/${form.id}/destinations`)
        .send({ type: 'webhook', name: 'CRM', url: hook.url })
        .expect(201)
    ).body.destination;
    hook.reply = verifyingReply(() => webhook.secret);
    slack.reply = shapeCheckingReply(slackPayload);
    discord.reply = shapeCheckingReply(discordPayload);
    await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ type: 'slack', name: 'Sales', url: slack.url })
      .expect(201);
    await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ type: 'discord', name: 'Ops', url: discord.url })
      .expect(201);

    const message = 'Bonjour, je voudrais vingt chaises pour notre bureau à Lyon. Merci beaucoup !';
    const { id } = (
      await request(test.url)
        .post(form.path)
        .send({ email: 'claire@example.fr', name: 'Claire', message })
        .expect(201)
    ).body;

    await test.app.get(JobRunner).drain();
    await test.app.get(DeliveryRunner).drain();

    const submission = (
      await owner.api('get', `/api/forms/${form.id}/submissions/${id}`).expect(200)
    ).body.submission;
    expect(submission).toEqual(
      expect.objectContaining({
        processing_status: 'completed',
        processing_reason: null,
        spam: false,
        detected_language: 'fr',
        reply_status: 'awaiting_review',
        reply_subject: 'Our opening hours',
        data: { email: 'claire@example.fr', name: 'Claire', message },
      }),
    );
    expect(submission.spam_confidence).toBe(0.05);
    expect(submission.translated_data.message).toMatch(/^EN: Hello/);
    expect(submission.translated_data.email).toBe('claire@example.fr');
    expect(fake.requests.map((chat) => chat.task).sort()).toEqual([
      'smart_reply',
      'spam_verdict',
      'translation',
    ]);

    expect(smtp.received.map((mail) => mail.rcptTo)).toEqual([['owner-inbox@example.com']]);
    expect(smtp.received[0]?.parsed.subject).toBe('New submission to Contact');

    expect(hook.received).toHaveLength(1);
    const event = verifyWebhook(webhook.secret, hook.received[0]!) as {
      type: string;
      data: { submission: { id: string } };
    };
    expect(event.type).toBe('submission.created');
    expect(event.data.submission.id).toBe(id);
    for (const receiver of [slack, discord]) expect(receiver.received).toHaveLength(1);
    const deliveries = await test.prisma.delivery.findMany({ where: { submissionId: id } });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
  });
});
