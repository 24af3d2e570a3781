import request from 'supertest';
import { DeferredMail } from '@intake/auth';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from './accounts';
import { startFakeOpenAi, type ChatRequest, type FakeOpenAi } from './fake-openai';
import { createForm, type CreatedForm } from './forms';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startTestApp, type TestApp } from './test-app';

export const KNOWLEDGE_BASE = 'We are open Monday to Friday, 9 to 5.';

/** Plays the model: genuine, "translates" by tagging, and answers from the knowledge base. */
export function fakeModel(chat: ChatRequest): unknown {
  switch (chat.task) {
    case 'spam_verdict':
      return { spam: false, confidence: 0.05, reason: 'A genuine enquiry' };
    case 'translation':
      return {
        fields: (chat.input.fields as { name: string; text: string }[]).map((field) => ({
          name: field.name,
          text: `EN: ${field.text.replace('Bonjour', 'Hello').replace('chaises', 'chairs')}`,
        })),
      };
    default:
      return { answerable: true, subject: 'Our opening hours', body: 'We are open 9 to 5.' };
  }
}

export interface AiTestApp {
  fake: FakeOpenAi;
  smtp: SmtpSink;
  test: TestApp;
  owner: ApiOwner;
  runner: JobRunner;
  knowledgeBaseId: string;
  form(settings: Record<string, unknown>): Promise<CreatedForm>;
  /** Posts to the public endpoint; returns the new submission's id. */
  submit(target: CreatedForm, body: Record<string, unknown>): Promise<string>;
  /** The submission as the owner's API shows it. */
  submission(target: CreatedForm, id: string): Promise<Record<string, unknown>>;
  /** Between tests: the fake answers as `fakeModel` again, and both logs are emptied. */
  reset(): void;
  close(): Promise<void>;
}

/** The real api wired to a fake OpenAI-compatible server and an SMTP sink, both on loopback. */
export async function startAiTestApp(): Promise<AiTestApp> {
  const fake = await startFakeOpenAi();
  const smtp = await startSmtpSink();
  const test = await startTestApp({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_MODEL: 'test-model',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Intake <intake@example.test>',
  });
  const owner = await apiOwner(test);
  // The sign-up's verification mail goes out after the answer: let it land before any test
  // counts mails (reset() empties the sink).
  await test.app.get(DeferredMail).settled();
  const knowledgeBaseId = (
    await owner
      .api('post', '/api/knowledge_bases')
      .send({ name: 'FAQ', content: KNOWLEDGE_BASE })
      .expect(201)
  ).body.knowledge_base.id as string;
  return {
    fake,
    smtp,
    test,
    owner,
    runner: test.app.get(JobRunner),
    knowledgeBaseId,
    form: (settings) => createForm(owner, { ip_rate_limit: 0, ...settings }),
    submit: async (target, body) =>
      (await request(test.url).post(target.path).send(body).expect(201)).body.id as string,
    submission: async (target, id) =>
      (await owner.api('get', `/api/forms/${target.id}/submissions/${id}`).expect(200)).body
        .submission,
    reset: () => {
      fake.requests.length = 0;
      fake.mode = 'answer';
      fake.answer = fakeModel;
      smtp.received.length = 0;
      smtp.refuseNext = false;
    },
    close: async () => {
      await test.close();
      await fake.close();
      await smtp.close();
    },
  };
}
