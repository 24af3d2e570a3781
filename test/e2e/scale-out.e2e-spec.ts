import request from 'supertest';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, PASSWORD, signUp, uniqueEmail } from '../support/accounts';
import { createForm } from '../support/forms';
import { startReceiver, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingPostgres, usingRedis } from '../support/test-database';

/**
 * Two api instances of one deployment (same PostgreSQL schema, Redis prefix and secret
 * key), as behind a load balancer: whichever instance serves a request, limits, gates,
 * credentials and jobs behave as for one. The embedded default is one process by design
 * (PGlite is not shared, limits live in memory), so this needs DATABASE_URL and REDIS_URL.
 */
(usingPostgres && usingRedis ? describe : describe.skip)('scale-out: two api instances', () => {
  let first: TestApp;
  let second: TestApp;
  let receiver: Receiver;
  /** Alternates between the instances, as a round-robin balancer does. */
  let turn = 0;
  const next = () => ((turn += 1) % 2 === 0 ? first : second);

  beforeAll(async () => {
    const env = { TRUST_PROXY: 'loopback', ALLOW_PRIVATE_DESTINATIONS: 'true' };
    first = await startTestApp(env);
    second = await startTestApp(env, { sameDeploymentAs: first });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await second.close();
    await first.close();
  });

  it('shares a form’s per-IP limit: the 11th post in the minute is 429 on either instance', async () => {
    const owner = await apiOwner(first);
    const form = await createForm(owner, { ip_rate_limit: 10 });
    const post = (app: TestApp) =>
      request(app.url)
        .post(form.path)
        .set('X-Forwarded-For', '198.51.100.77')
        .send({ email: 'ada@example.com', message: 'Hello' });
    for (let i = 0; i < 10; i++) await post(next()).expect(201);
    for (const app of [first, second]) {
      const refused = await post(app).expect(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    }
  });

  it('shares the login gate: failures on one instance count on the other', async () => {
    const { email } = await signUp(first);
    const attempt = (app: TestApp, password: string) =>
      request(app.url)
        .post('/auth/login')
        .set('X-Forwarded-For', '198.51.100.78')
        .send({ email, password });
    for (let i = 0; i < first.config.env.LOGIN_MAX_FAILURES_PER_IP; i++) {
      await attempt(next(), 'not the password').expect(401);
    }
    // Even the right password waits out the window, on both instances.
    await attempt(first, PASSWORD).expect(429);
    await attempt(second, PASSWORD).expect(429);
  });

  it('accepts a session and an API key made on one instance on the other', async () => {
    const signedUp = await request(first.url)
      .post('/auth/signup')
      .send({ email: uniqueEmail(), password: PASSWORD })
      .expect(201);
    const cookie = (signedUp.headers['set-cookie'] as unknown as string[]).map(
      (header) => header.split(';')[0],
    );
    const csrf = (signedUp.body as { csrf_token: string }).csrf_token;
    const sessions = await request(second.url).get('/account/sessions').set('Cookie', cookie);
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions).toHaveLength(1);

    const owner = await apiOwner(first);
    const form = await createForm(owner);
    const keyed = await request(second.url)
      .get(`/api/forms/${form.id}`)
      .set('Authorization', `Bearer ${owner.key}`)
      .expect(200);
    expect(keyed.body.form.id).toBe(form.id);

    // Signed out through the second instance, refused by the first at once.
    await request(second.url)
      .post('/auth/logout')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .expect(204);
    await request(first.url).get('/account/sessions').set('Cookie', cookie).expect(401);
  });

  it('processes each job once and delivers each event once, with both instances working', async () => {
    const owner = await apiOwner(first);
    const form = await createForm(owner, { ip_rate_limit: 0 });
    await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ type: 'webhook', name: 'CRM', url: receiver.url })
      .expect(201);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { body } = await request(next().url)
        .post(form.path)
        .send({ email: `v${i}@example.com`, message: `message ${i}` })
        .expect(201);
      ids.push(body.id as string);
    }
    // Both instances claim from the same queues at the same time.
    await Promise.all([first, second].map((app) => app.app.get(JobRunner).drain()));
    await Promise.all([first, second].map((app) => app.app.get(DeliveryRunner).drain()));
    const delivered = receiver.received.map(
      (hit) =>
        (JSON.parse(hit.body) as { data: { submission: { id: string } } }).data.submission.id,
    );
    expect(delivered.sort()).toEqual([...ids].sort());
    const attempts = await first.prisma.deliveryAttempt.count({
      where: { delivery: { submissionId: { in: ids } } },
    });
    expect(attempts).toBe(ids.length);
  });
});
