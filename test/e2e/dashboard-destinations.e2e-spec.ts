import request from 'supertest';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, signUp, type ApiOwner, type SignedInUser } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startReceiver, verifyingReply, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';

/** The text of a copy block (`<pre id="...">`). */
function copyBlock(html: string, id: string): string {
  const match = new RegExp(`<pre id="${id}"[^>]*><code>([^<]*)</code>`).exec(html);
  if (!match?.[1]) throw new Error(`no copy block ${id}`);
  return match[1];
}

/** Destinations and their delivery log as pages, with a real receiver on 127.0.0.1. */
describe('dashboard destinations', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    test = await startTestApp({ ALLOW_PRIVATE_DESTINATIONS: 'true' });
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await test.close();
  });

  const receiver = async () => {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  };
  const post = (user: SignedInUser, path: string, body: Record<string, string>) =>
    user.agent.post(path).type('form').send(body);
  const base = () => `/forms/${form.id}/destinations`;

  it('adds a webhook, shows its signing secret once, and logs its signed deliveries', async () => {
    const hook = await receiver();
    const added = await post(owner, base(), {
      _csrf: owner.csrf,
      type: 'webhook',
      name: 'CRM <hook>',
      url: hook.url,
    }).expect(200);
    const secret = copyBlock(added.text, 'secret');
    expect(secret).toMatch(/^whsec_/);
    hook.reply = verifyingReply(() => secret);
    const stored = await test.prisma.destination.findMany({ where: { formId: form.id } });
    expect(JSON.stringify(stored)).not.toContain(secret.slice('whsec_'.length));

    const list = await owner.agent.get(base()).expect(200);
    expect(list.text).toContain('CRM &lt;hook>');
    expect(list.text).not.toContain(secret);
    const id = stored[0]!.id;

    await request(test.url)
      .post(form.path)
      .send({ email: 'ada@example.com', message: 'hello' })
      .expect(201);
    await test.app.get(JobRunner).drain();
    await test.app.get(DeliveryRunner).drain();
    expect(hook.received).toHaveLength(1);
    const log = await owner.agent.get(`${base()}/${id}`).expect(200);
    expect(log.text).toContain('delivered');
    // The verifying receiver answers 204 to a correctly signed webhook.
    expect(log.text).toMatch(/data-label="Status">204</);
    const delivery = await test.prisma.delivery.findFirstOrThrow({ where: { destinationId: id } });
    const again = await post(owner, `${base()}/${id}/deliveries/${delivery.id}/redeliver`, {
      _csrf: owner.csrf,
    }).expect(303);
    expect(again.headers.location).toBe(`${base()}/${id}?notice=redelivered`);
    await test.app.get(DeliveryRunner).drain();
    expect(hook.received).toHaveLength(2);

    const rotated = await post(owner, `${base()}/${id}/regenerate-secret`, {
      _csrf: owner.csrf,
    }).expect(200);
    expect(copyBlock(rotated.text, 'secret')).not.toBe(secret);
  });

  it('adds a Slack destination without a secret, and refuses bad input on the form', async () => {
    const slack = await receiver();
    const added = await post(owner, base(), {
      _csrf: owner.csrf,
      type: 'slack',
      name: 'Team',
      url: slack.url,
      include_spam: 'on',
    }).expect(303);
    expect(added.headers.location).toBe(`${base()}?notice=added`);
    const refused = await post(owner, base(), {
      _csrf: owner.csrf,
      type: 'carrier-pigeon',
      name: '',
      url: 'x'.repeat(3000),
    }).expect(422);
    expect(refused.text).toContain('id="field-type-error"');
    expect(refused.text).toContain('id="field-name-error"');
    expect(refused.text).toContain('id="field-url-error"');
    const ftp = await post(owner, base(), {
      _csrf: owner.csrf,
      type: 'webhook',
      name: 'ftp',
      url: 'ftp://example.com/x',
    });
    expect(ftp.status).toBe(422);
    expect(ftp.text).toContain('role="alert"');
    await post(owner, base(), { _csrf: owner.csrf, type: 'webhook', extra: 'x' }).expect(422);
  });

  it('shows a disabled destination and re-enables it', async () => {
    const hook = await receiver();
    await post(owner, base(), { _csrf: owner.csrf, type: 'slack', name: 'Flaky', url: hook.url });
    const flaky = await test.prisma.destination.findFirstOrThrow({
      where: { formId: form.id, name: 'Flaky' },
    });
    await test.prisma.destination.update({
      where: { id: flaky.id },
      data: { enabled: false, disabledAt: new Date(), failureCount: 3, lastError: 'HTTP 500' },
    });
    const list = await owner.agent.get(base()).expect(200);
    expect(list.text).toContain('Disabled');
    expect(list.text).toContain('HTTP 500');
    const enabled = await post(owner, `${base()}/${flaky.id}/enable`, {
      _csrf: owner.csrf,
    }).expect(303);
    expect(enabled.headers.location).toBe(`${base()}?notice=enabled`);
    const after = await test.prisma.destination.findUniqueOrThrow({ where: { id: flaky.id } });
    expect(after).toMatchObject({ enabled: true, failureCount: 0 });
    const removed = await post(owner, `${base()}/${flaky.id}/delete`, {
      _csrf: owner.csrf,
    }).expect(303);
    expect(removed.headers.location).toBe(`${base()}?notice=removed`);
  });

  it('shows, changes and removes nothing of another owner’s', async () => {
    const destination = await test.prisma.destination.findFirstOrThrow({
      where: { formId: form.id },
    });
    const other = await signUp(test);
    await other.agent.get(base()).expect(404);
    await other.agent.get(`${base()}/${destination.id}`).expect(404);
    for (const action of ['enable', 'delete', 'regenerate-secret']) {
      await post(other, `${base()}/${destination.id}/${action}`, { _csrf: other.csrf }).expect(404);
    }
    await post(other, base(), {
      _csrf: other.csrf,
      type: 'slack',
      name: 'x',
      url: 'https://example.com/x',
    }).expect(404);
    expect(
      await test.prisma.destination.findUnique({ where: { id: destination.id } }),
    ).not.toBeNull();
    await request(test.url).get(base()).expect(303);
  });
});
