import request from 'supertest';
import { JobRunner, SubmissionProcessor } from '@intake/pipeline';
import { apiOwner } from '../support/accounts';
import { KNOWLEDGE_BASE, startAiTestApp, type AiTestApp } from '../support/ai-test-app';
import type { FakeOpenAi } from '../support/fake-openai';
import { createForm } from '../support/forms';
import type { SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

describe('translation and smart replies (OpenAI-compatible server on loopback)', () => {
  let ai: AiTestApp;
  let fake: FakeOpenAi;
  let smtp: SmtpSink;
  let test: TestApp;
  let runner: JobRunner;
  let knowledgeBaseId: string;
  let form: AiTestApp['form'];
  let submit: AiTestApp['submit'];
  let submission: AiTestApp['submission'];

  beforeAll(async () => {
    ai = await startAiTestApp();
    ({ fake, smtp, test, runner, knowledgeBaseId, form, submit, submission } = ai);
  });
  afterAll(() => ai.close());
  beforeEach(() => ai.reset());

  it('translates prose into the owner’s language, leaving e-mails, URLs and numbers alone', async () => {
    const target = await form({ localisation_enabled: true });
    const data = {
      email: 'marie@exemple.fr',
      name: 'Marie',
      message:
        'Bonjour, je voudrais un devis pour 20 chaises. Voir https://exemple.fr/catalogue?id=7 ou écrivez à ventes@exemple.fr',
    };
    const id = await submit(target, data);
    await runner.drain();
    const processed = await submission(target, id);
    expect(processed.data).toEqual(data);
    expect(processed.detected_language).toBe('fr');
    expect(processed.translated_data).toEqual({
      email: 'marie@exemple.fr',
      name: 'EN: Marie',
      message:
        'EN: Hello, je voudrais un devis pour 20 chairs. Voir https://exemple.fr/catalogue?id=7 ou écrivez à ventes@exemple.fr',
    });
    // The model never saw what must not change.
    const [chat] = fake.requests;
    expect(chat?.task).toBe('translation');
    expect(chat?.input.target_language).toBe('en');
    expect(JSON.stringify(chat?.input)).not.toMatch(/exemple\.fr|\b20\b/);
  });

  it('does not translate what is already in the owner’s language', async () => {
    const target = await form({ localisation_enabled: true });
    const id = await submit(target, {
      email: 'ada@example.com',
      message: 'Hello, I would like a quote for twenty chairs for our new office.',
    });
    await runner.drain();
    expect(await submission(target, id)).toEqual(
      expect.objectContaining({ detected_language: 'en', translated_data: null }),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('stores a draft reply from the knowledge base for review', async () => {
    const target = await form({ smart_reply_enabled: true, knowledge_base_id: knowledgeBaseId });
    const id = await submit(target, { email: 'ada@example.com', message: 'When are you open?' });
    await runner.drain();
    expect(await submission(target, id)).toEqual(
      expect.objectContaining({
        reply_status: 'awaiting_review',
        reply_subject: 'Our opening hours',
        reply_content: 'We are open 9 to 5.',
        replied_at: null,
      }),
    );
    expect(fake.requests[0]?.input).toEqual({
      knowledge_base: KNOWLEDGE_BASE,
      submission: { message: 'When are you open?' },
    });
    expect(smtp.received).toHaveLength(0);
  });

  it('mails an auto reply to the submitted address, once', async () => {
    const target = await form({
      smart_reply_enabled: true,
      smart_replies_mode: 'auto',
      smart_reply_email_field: 'email',
      knowledge_base_id: knowledgeBaseId,
    });
    const id = await submit(target, { email: 'ada@example.com', message: 'When are you open?' });
    await runner.drain();
    const processed = await submission(target, id);
    expect(processed).toEqual(
      expect.objectContaining({ reply_status: 'delivered', replied_at: expect.any(String) }),
    );
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail?.rcptTo).toEqual(['ada@example.com']);
    expect(mail?.parsed.subject).toBe('Our opening hours');
    expect(mail?.parsed.text?.trim()).toBe('We are open 9 to 5.');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-replied');

    // A repeated job (at-least-once) finds it delivered and does not mail again.
    await test.app.get(SubmissionProcessor).process(id);
    expect(smtp.received).toHaveLength(1);
  });

  it('skips an auto reply when the submission gave no address to answer', async () => {
    const target = await form({
      fields_schema: {
        fields: [
          { name: 'reply_to', type: 'email' },
          { name: 'message', type: 'string', rules: [{ op: 'required' }] },
        ],
      },
      smart_reply_enabled: true,
      smart_replies_mode: 'auto',
      smart_reply_email_field: 'reply_to',
      knowledge_base_id: knowledgeBaseId,
    });
    const id = await submit(target, { message: 'When are you open?' });
    await runner.drain();
    expect(await submission(target, id)).toEqual(
      expect.objectContaining({ processing_status: 'completed', reply_status: 'skipped' }),
    );
    expect(fake.requests).toHaveLength(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('leaves a question the knowledge base does not answer to a human', async () => {
    const target = await form({
      smart_reply_enabled: true,
      smart_replies_mode: 'auto',
      smart_reply_email_field: 'email',
      knowledge_base_id: knowledgeBaseId,
    });
    fake.answer = () => ({ answerable: false, subject: '', body: '' });
    const id = await submit(target, { email: 'ada@example.com', message: 'Do you ship to Mars?' });
    await runner.drain();
    expect(await submission(target, id)).toEqual(
      expect.objectContaining({ reply_status: 'needs_human_reply', reply_content: null }),
    );
    expect(smtp.received).toHaveLength(0);
  });
});

describe('AI steps without OPENAI_API_KEY', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('skips them silently: the standard verdict and local language detection only', async () => {
    const owner = await apiOwner(test);
    const { knowledge_base } = (
      await owner
        .api('post', '/api/knowledge_bases')
        .send({ name: 'FAQ', content: 'Open 9 to 5.' })
        .expect(201)
    ).body;
    const target = await createForm(owner, {
      ip_rate_limit: 0,
      spam_protection_enabled: true,
      spam_protection_strategy: 'intelligent',
      localisation_enabled: true,
      smart_reply_enabled: true,
      knowledge_base_id: knowledge_base.id,
    });
    const { id } = (
      await request(test.url)
        .post(target.path)
        .send({ email: 'hans@example.de', message: 'Guten Tag, ich hätte gerne ein Angebot.' })
        .expect(201)
    ).body;
    await test.app.get(JobRunner).drain();
    expect(
      (await owner.api('get', `/api/forms/${target.id}/submissions/${id}`).expect(200)).body
        .submission,
    ).toEqual(
      expect.objectContaining({
        processing_status: 'completed',
        processing_reason: null,
        spam: false,
        detected_language: 'de',
        translated_data: null,
        reply_status: null,
      }),
    );
  });
});
