import request from 'supertest';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startReceiver, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';

/** Without ALLOW_PRIVATE_DESTINATIONS (the production setting): no way into our network. */
describe('destinations: SSRF', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  let local: Receiver;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
    local = await startReceiver();
  });
  afterAll(async () => {
    await local.close();
    await test.close();
  });

  const create = (body: Record<string, unknown>) =>
    owner.api('post', `/api/forms/${form.id}/destinations`).send({ name: 'x', ...body });

  it.each([
    ['http://127.0.0.1/hook', 'must use https'],
    ['https://127.0.0.1/hook', 'must resolve to a public address'],
    ['https://localhost/hook', 'must resolve to a public address'],
    ['https://10.1.2.3/hook', 'must resolve to a public address'],
    ['https://[::ffff:127.0.0.1]/hook', 'must resolve to a public address'],
    ['https://169.254.169.254/latest/meta-data', 'must resolve to a public address'],
    ['https://2130706433/hook', 'must resolve to a public address'],
    ['https://user:secret@example.com/hook', 'must not contain credentials'],
  ])('refuses a webhook to %s with 422 naming url', async (url, message) => {
    const response = await create({ type: 'webhook', url }).expect(422);
    expect(response.body.error).toEqual(
      expect.objectContaining({ code: 'validation_error', details: { url: [message] } }),
    );
    expect(JSON.stringify(response.body)).not.toContain('secret@');
  });

  it('pins Slack and Discord destinations to their webhook hosts', async () => {
    const slack = await create({ type: 'slack', url: 'https://example.com/services/x' }).expect(
      422,
    );
    expect(slack.body.error.details.url).toEqual([
      'must be a https://hooks.slack.com/... URL for a slack destination',
    ]);
    const discord = await create({ type: 'discord', url: local.url }).expect(422);
    expect(discord.body.error.details).toHaveProperty('url');
    const list = await owner.api('get', `/api/forms/${form.id}/destinations`).expect(200);
    expect(list.body.destinations).toEqual([]);
  });

  it('checks again at delivery time: a stored private URL is never connected to', async () => {
    // As if DNS now answered with a loopback address (rebinding): the worker re-vets.
    const url = local.url.replace('http://', 'https://');
    const destination = await test.prisma.destination.create({
      data: { userId: owner.id, formId: form.id, type: 'slack', name: 'rebound', url },
    });
    const submitted = await request(test.url)
      .post(form.path)
      .send({ email: 'ada@example.com', message: 'hi' })
      .expect(201);
    await test.app.get(JobRunner).drain();
    expect(
      await test.prisma.delivery.count({ where: { submissionId: submitted.body.id as string } }),
    ).toBe(1);
    await test.app.get(DeliveryRunner).drain();
    expect(local.received).toEqual([]);
    const log = await owner
      .api('get', `/api/forms/${form.id}/destinations/${destination.id}/deliveries`)
      .expect(200);
    expect(log.body.deliveries[0].attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: null,
        error_code: 'blocked_address',
        error: 'Destination resolves to a loopback address',
      }),
    ]);
  });
});
