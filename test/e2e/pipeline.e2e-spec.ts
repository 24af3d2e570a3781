import request from 'supertest';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

describe('processing pipeline', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let runner: JobRunner;
  let form: CreatedForm;

  beforeAll(async () => {
    test = await startTestApp();
    runner = test.app.get(JobRunner);
    owner = await apiOwner(test);
    form = await createForm(owner, { spam_protection_enabled: true, ip_rate_limit: 0 });
  });
  afterAll(() => test.close());

  const submit = async (body: Record<string, unknown>) =>
    (await request(test.url).post(form.path).send(body).expect(201)).body.id as string;
  const submission = async (id: string) =>
    (await owner.api('get', `/api/forms/${form.id}/submissions/${id}`).expect(200)).body.submission;

  it('moves a submission from pending to completed, once, and removes its job', async () => {
    const id = await submit({
      email: 'ada@example.com',
      message: 'I would like a quote for 20 chairs.',
    });
    expect((await submission(id)).processing_status).toBe('pending');
    expect(await runner.drain()).toBe(1);
    expect(await submission(id)).toEqual(
      expect.objectContaining({
        processing_status: 'completed',
        spam: false,
        processing_reason: null,
      }),
    );
    expect(await test.prisma.submissionJob.count({ where: { submissionId: id } })).toBe(0);
    expect(await runner.drain()).toBe(0);
  });

  it('flags spam by the standard checks when the form asks for it', async () => {
    const id = await submit({
      email: 'winner@mailinator.com',
      message:
        'CLICK HERE for FREE MONEY!!! <a href="https://bit.ly/x">https://paypal.com</a> viagra casino',
    });
    await runner.drain();
    const processed = await submission(id);
    expect(processed).toEqual(
      expect.objectContaining({ processing_status: 'completed', spam: true }),
    );
    expect(processed.spam_confidence).toBeGreaterThanOrEqual(0.7);
    expect(processed.spam_reason).toEqual(expect.any(String));
    expect(
      (await owner.api('get', `/api/forms/${form.id}/submissions`).expect(200)).body.data.map(
        (s: { id: string }) => s.id,
      ),
    ).not.toContain(id);
  });

  it('keeps a honeypot verdict from ingest', async () => {
    const id = await submit({ email: 'bot@example.com', message: 'hello', website: 'x' });
    await runner.drain();
    expect(await submission(id)).toEqual(
      expect.objectContaining({ processing_status: 'completed', spam: true, spam_confidence: 1 }),
    );
  });

  it('leaves spam alone on forms without spam protection', async () => {
    const open = await createForm(owner, { ip_rate_limit: 0 });
    const response = await request(test.url)
      .post(open.path)
      .send({ email: 'winner@mailinator.com', message: 'FREE MONEY click here' })
      .expect(201);
    await runner.drain();
    const processed = (
      await owner.api('get', `/api/forms/${open.id}/submissions/${response.body.id}`).expect(200)
    ).body.submission;
    expect(processed).toEqual(
      expect.objectContaining({ processing_status: 'completed', spam: false }),
    );
  });

  it('re-claims a job whose worker died mid-flight once its lease runs out', async () => {
    const id = await submit({ email: 'ada@example.com', message: 'lease test' });
    // A worker claimed the job and died: the lease is taken but expired, the row still there.
    await test.prisma.submissionJob.updateMany({
      where: { submissionId: id },
      data: { lockedUntil: new Date(Date.now() - 1000), attempts: 1 },
    });
    await test.prisma.submission.update({
      where: { id },
      data: { processingStatus: 'processing' },
    });
    expect(await runner.drain()).toBe(1);
    expect((await submission(id)).processing_status).toBe('completed');
  });

  it('never lets two runners process the same job', async () => {
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        submit({ email: `p${i}@example.com`, message: `parallel ${i}` }),
      ),
    );
    const [a, b] = await Promise.all([runner.drain(), runner.drain()]);
    expect(a + b).toBe(30);
    const statuses = await test.prisma.submission.findMany({
      where: { id: { in: ids } },
      select: { processingStatus: true },
    });
    expect(statuses.every((row) => row.processingStatus === 'completed')).toBe(true);
  });
});
