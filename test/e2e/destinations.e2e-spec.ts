import request from 'supertest';
import { DeliveriesService, DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { connectDashboard, eventually } from '../support/dashboard-socket';
import { createForm, type CreatedForm } from '../support/forms';
import {
  discordPayload,
  shapeCheckingReply,
  slackPayload,
  startReceiver,
  verifyingReply,
  verifyWebhook,
  type Receiver,
} from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';

interface Destination {
  id: string;
  type: string;
  enabled: boolean;
  failure_count: number;
  last_error: string | null;
  last_delivered_at: string | null;
  disabled_at: string | null;
  secret?: string;
}

interface Delivery {
  id: string;
  event_id: string;
  status: string;
  attempts: {
    attempt: number;
    status: number | null;
    error_code: string | null;
    response: string | null;
    latency_ms: number | null;
  }[];
}

/**
 * Destinations over the real api, with real receivers on 127.0.0.1 (hence
 * ALLOW_PRIVATE_DESTINATIONS, which also lifts the Slack/Discord host rule). Processing a
 * submission queues its deliveries. Every test's deliveries share one queue: past the
 * first tests, a drain is judged by what the test's own receiver got.
 */
describe('destinations', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let jobs: JobRunner;
  let runner: DeliveryRunner;
  let deliveries: DeliveriesService;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    test = await startTestApp({ ALLOW_PRIVATE_DESTINATIONS: 'true' });
    jobs = test.app.get(JobRunner);
    runner = test.app.get(DeliveryRunner);
    deliveries = test.app.get(DeliveriesService);
    owner = await apiOwner(test);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await test.close();
  });

  const receiver = async (path?: string) => {
    const started = await startReceiver(path);
    receivers.push(started);
    return started;
  };
  const newForm = (who: ApiOwner = owner) =>
    createForm(who, { ip_rate_limit: 0, name: 'Contact <us> & co' });
  const createDestination = async (
    form: CreatedForm,
    body: Record<string, unknown>,
    who: ApiOwner = owner,
  ): Promise<Destination> =>
    (
      await who
        .api('post', `/api/forms/${form.id}/destinations`)
        .send({ name: 'Receiver', ...body })
        .expect(201)
    ).body.destination as Destination;
  const destination = async (form: CreatedForm, id: string): Promise<Destination> => {
    const list = await owner.api('get', `/api/forms/${form.id}/destinations`).expect(200);
    return (list.body.destinations as Destination[]).find((d) => d.id === id) as Destination;
  };
  const log = async (form: CreatedForm, id: string): Promise<Delivery[]> =>
    (await owner.api('get', `/api/forms/${form.id}/destinations/${id}/deliveries`).expect(200)).body
      .deliveries as Delivery[];
  /** Submits and processes, which queues the deliveries. */
  const submit = async (form: CreatedForm, body: Record<string, unknown> = {}) => {
    const response = await request(test.url)
      .post(form.path)
      .send({ email: 'ada@example.com', message: 'Hello <!channel> & friends', ...body })
      .expect(201);
    await jobs.drain();
    return response.body.id as string;
  };
  /** Makes the destination's waiting retries due now, instead of in 10 or 60 s. */
  const retriesDueNow = (destinationId: string) =>
    test.prisma.delivery.updateMany({
      where: { destinationId, status: 'pending' },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });

  it('delivers a signed webhook, a Slack message and a Discord embed after processing', async () => {
    const form = await newForm();
    const hook = await receiver();
    const slack = await receiver('/slack');
    const discord = await receiver('/discord');
    const webhook = await createDestination(form, { type: 'webhook', url: hook.url });
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    hook.reply = verifyingReply(() => webhook.secret ?? '');
    slack.reply = shapeCheckingReply(slackPayload);
    discord.reply = shapeCheckingReply(discordPayload);
    const slackDestination = await createDestination(form, { type: 'slack', url: slack.url });
    await createDestination(form, { type: 'discord', url: discord.url });
    expect(slackDestination).not.toHaveProperty('secret');

    const id = await submit(form);
    expect(await deliveries.enqueueFor(id)).toBe(0);
    expect(await runner.drain()).toBe(3);

    expect(hook.received).toHaveLength(1);
    const event = verifyWebhook(webhook.secret ?? '', hook.received[0]!) as Record<string, unknown>;
    expect(event).toEqual({
      id: hook.received[0]!.headers['webhook-id'],
      type: 'submission.created',
      created_at: expect.any(String),
      data: {
        form: {
          id: form.id,
          name: 'Contact <us> & co',
          slug: form.slug,
          visibility: 'public',
          version: 1,
        },
        submission: expect.objectContaining({
          id,
          processing_status: 'completed',
          data: { email: 'ada@example.com', message: 'Hello <!channel> & friends' },
        }),
      },
    });
    expect(String(hook.received[0]!.headers['webhook-id'])).toMatch(/^evt_/);

    expect(slack.received).toHaveLength(1);
    const slackBody = JSON.parse(slack.received[0]!.body) as { text: string };
    expect(slackBody.text).toBe('New submission: Contact &lt;us&gt; &amp; co');
    expect(slack.received[0]!.body).toContain('Hello &lt;!channel&gt; &amp; friends');
    expect(discord.received).toHaveLength(1);

    for (const target of [webhook, slackDestination]) {
      const after = await destination(form, target.id);
      expect(after.failure_count).toBe(0);
      expect(after.last_delivered_at).toEqual(expect.any(String));
      const [delivery] = await log(form, target.id);
      expect(delivery).toEqual(expect.objectContaining({ status: 'delivered' }));
      expect(delivery?.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: target.type === 'webhook' ? 204 : 200,
          error_code: null,
        }),
      ]);
      expect(delivery?.attempts[0]?.latency_ms).toEqual(expect.any(Number));
    }
    expect(await runner.drain()).toBe(0);
  });

  it('keeps the webhook secret sealed at rest and shows it only on create and regenerate', async () => {
    const form = await newForm();
    const created = await createDestination(form, { type: 'webhook', url: 'http://127.0.0.1:9/x' });
    const row = await test.prisma.destination.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretSealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain((created.secret ?? '').slice('whsec_'.length));
    const list = await owner.api('get', `/api/forms/${form.id}/destinations`).expect(200);
    expect(JSON.stringify(list.body)).not.toMatch(/whsec_|secret/);

    const regenerated = await owner
      .api('post', `/api/forms/${form.id}/destinations/${created.id}/regenerate-secret`)
      .expect(200);
    expect(regenerated.body.destination.secret).toMatch(/^whsec_/);
    expect(regenerated.body.destination.secret).not.toBe(created.secret);
    const slack = await createDestination(form, { type: 'slack', url: 'http://127.0.0.1:9/s' });
    const refused = await owner
      .api('post', `/api/forms/${form.id}/destinations/${slack.id}/regenerate-secret`)
      .expect(422);
    expect(refused.body.error.code).toBe('invalid_destination_type');
  });

  it('retries with the same webhook-id and logs every attempt', async () => {
    const form = await newForm();
    const hook = await receiver();
    const created = await createDestination(form, { type: 'webhook', url: hook.url });
    const verify = verifyingReply(() => created.secret ?? '');
    hook.reply = (req) =>
      hook.received.length < 3 ? { status: 500, body: 'try later' } : verify(req);
    await submit(form);

    expect(await runner.drain()).toBe(1);
    const [pending] = await log(form, created.id);
    expect(pending?.status).toBe('pending');
    // The retry waits (about 10 s): nothing is due yet.
    expect(await runner.drain()).toBe(0);
    for (let round = 0; round < 2; round++) {
      await retriesDueNow(created.id);
      expect(await runner.drain()).toBe(1);
    }
    const ids = new Set(hook.received.map((req) => req.headers['webhook-id']));
    expect(hook.received).toHaveLength(3);
    expect(ids.size).toBe(1);
    for (const req of hook.received)
      expect(() => verifyWebhook(created.secret ?? '', req)).not.toThrow();
    const [delivery] = await log(form, created.id);
    expect(delivery?.event_id).toBe([...ids][0]);
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => [a.attempt, a.status, a.error_code, a.response])).toEqual([
      [1, 500, 'http_status', 'try later'],
      [2, 500, 'http_status', 'try later'],
      [3, 204, null, ''],
    ]);
    expect((await destination(form, created.id)).failure_count).toBe(0);
  });

  it('skips spam unless the destination includes it', async () => {
    const form = await newForm();
    const plain = await createDestination(form, { type: 'slack', url: 'http://127.0.0.1:9/a' });
    const withSpam = await createDestination(form, {
      type: 'slack',
      url: 'http://127.0.0.1:9/b',
      include_spam: true,
    });
    await submit(form, { website: 'bot' });
    expect(await log(form, plain.id)).toEqual([]);
    expect(await log(form, withSpam.id)).toHaveLength(1);
  });

  it('disables a destination after 3 failed deliveries, audits and e-mails the owner', async () => {
    const form = await newForm();
    const hook = await receiver();
    hook.reply = () => ({ status: 503, body: 'down for maintenance' });
    const created = await createDestination(form, {
      type: 'webhook',
      url: hook.url,
      name: 'Zapier',
    });
    const dashboard = await connectDashboard(test, owner);
    for (let i = 0; i < 3; i++) {
      await submit(form);
      // Each delivery's three attempts (retries made due at once).
      for (let attempt = 0; attempt < 3; attempt++) {
        await runner.drain();
        expect(hook.received).toHaveLength(i * 3 + attempt + 1);
        await retriesDueNow(created.id);
      }
      expect((await destination(form, created.id)).failure_count).toBe(i + 1);
    }
    expect(hook.received).toHaveLength(9);
    // The owner's open dashboards learn it at once.
    await eventually(
      () => dashboard.received.some((event) => event.type === 'destination.disabled'),
      'the destination.disabled event',
    );
    expect(dashboard.received.filter((event) => event.type === 'destination.disabled')).toEqual([
      expect.objectContaining({ form_id: form.id, subject_id: created.id }),
    ]);
    dashboard.socket.close();
    const disabled = await destination(form, created.id);
    expect(disabled).toEqual(
      expect.objectContaining({
        enabled: false,
        failure_count: 3,
        disabled_at: expect.any(String),
        last_error: 'http_status: Destination answered with an error status',
      }),
    );
    expect(
      await test.prisma.auditEvent.count({
        where: { userId: owner.id, action: 'destination.disabled', targetId: created.id },
      }),
    ).toBe(1);
    const mailbox = await owner.agent.get('/dev/mailbox').expect(200);
    const mail = (mailbox.body.messages as { subject: string; text: string }[]).find((m) =>
      m.subject.includes('Zapier'),
    );
    expect(mail?.subject).toBe('Destination Zapier was disabled after 3 failed deliveries');
    expect(mail?.text).not.toContain(hook.url);

    // No new deliveries while disabled, and no redelivery either.
    await submit(form);
    expect(await log(form, created.id)).toHaveLength(3);
    const [last] = await log(form, created.id);
    await owner
      .api(
        'post',
        `/api/forms/${form.id}/destinations/${created.id}/deliveries/${last?.id}/redeliver`,
      )
      .expect(409);

    // Re-enabled: a fresh count; a delivery queued then waits while it is disabled again.
    const enabled = await owner
      .api('post', `/api/forms/${form.id}/destinations/${created.id}/enable`)
      .expect(200);
    expect(enabled.body.destination).toEqual(
      expect.objectContaining({ enabled: true, failure_count: 0, disabled_at: null }),
    );
    await submit(form);
    await test.prisma.destination.update({ where: { id: created.id }, data: { enabled: false } });
    await runner.drain();
    expect(hook.received).toHaveLength(9);
    await owner.api('post', `/api/forms/${form.id}/destinations/${created.id}/enable`).expect(200);
    await runner.drain();
    expect(hook.received).toHaveLength(10);
  });

  it('redelivers a finished delivery as the same event, keeping its log', async () => {
    const form = await newForm();
    const hook = await receiver();
    const created = await createDestination(form, { type: 'webhook', url: hook.url });
    await submit(form);
    await runner.drain();
    const [delivered] = await log(form, created.id);
    const path = `/api/forms/${form.id}/destinations/${created.id}/deliveries/${delivered?.id}/redeliver`;
    const queued = await owner.api('post', path).expect(202);
    expect(queued.body.delivery).toEqual(
      expect.objectContaining({ status: 'pending', event_id: delivered?.event_id }),
    );
    expect((await owner.api('post', path).expect(409)).body.error.code).toBe('conflict');
    await runner.drain();
    expect(hook.received.map((req) => req.headers['webhook-id'])).toEqual([
      delivered?.event_id,
      delivered?.event_id,
    ]);
    const [after] = await log(form, created.id);
    expect(after?.status).toBe('delivered');
    expect(after?.attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });

  it('paginates the delivery log', async () => {
    const form = await newForm();
    const created = await createDestination(form, { type: 'slack', url: 'http://127.0.0.1:9/p' });
    await submit(form);
    await submit(form);
    const page = await owner
      .api('get', `/api/forms/${form.id}/destinations/${created.id}/deliveries?page=2&page_size=1`)
      .expect(200);
    expect(page.body.deliveries).toHaveLength(1);
    expect(page.body.meta).toEqual({
      current_page: 2,
      total_pages: 2,
      total_count: 2,
      page_size: 1,
    });
  });

  it('refuses another owner everything (404) and keys without destinations:write (403)', async () => {
    const form = await newForm();
    const created = await createDestination(form, { type: 'webhook', url: 'http://127.0.0.1:9/x' });
    await submit(form);
    const [delivery] = await log(form, created.id);
    const other = await apiOwner(test);
    const otherForm = await newForm(other);
    const base = `/api/forms/${form.id}/destinations`;
    const theirs = `/api/forms/${otherForm.id}/destinations`;
    for (const prefix of [base, theirs]) {
      await other.api('get', prefix).expect(prefix === base ? 404 : 200);
      await other.api('delete', `${prefix}/${created.id}`).expect(404);
      await other.api('post', `${prefix}/${created.id}/enable`).expect(404);
      await other.api('post', `${prefix}/${created.id}/regenerate-secret`).expect(404);
      await other.api('get', `${prefix}/${created.id}/deliveries`).expect(404);
      await other
        .api('post', `${prefix}/${created.id}/deliveries/${delivery?.id}/redeliver`)
        .expect(404);
    }
    await other
      .api('post', base)
      .send({ type: 'slack', name: 'x', url: 'http://127.0.0.1:9/' })
      .expect(404);
    expect(await destination(form, created.id)).toEqual(
      expect.objectContaining({ id: created.id }),
    );

    const reader = await apiOwner(test, ['forms:read']);
    const refused = await reader.api('get', `/api/forms/${form.id}/destinations`).expect(403);
    expect(refused.body.error.code).toBe('insufficient_scope');

    await owner.api('delete', `${base}/${created.id}`).expect(200);
    await owner.api('get', `${base}/${created.id}/deliveries`).expect(404);
  });
});
