import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, PASSWORD, type ApiOwner, type SignedInUser } from '../support/accounts';
import {
  connectDashboard as connect,
  cookieOf,
  eventually,
  openSocket as open,
  refusal,
  type Dashboard,
} from '../support/dashboard-socket';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingPostgres, usingRedis } from '../support/test-database';

async function submitAndProcess(test: TestApp, form: CreatedForm): Promise<string> {
  const response = await request(test.url)
    .post(form.path)
    .send({ email: 'visitor@example.com', message: 'hello' })
    .expect(201);
  await test.app.get(JobRunner).drain();
  return response.body.id as string;
}

describe('live dashboard events over socket.io', () => {
  let test: TestApp;
  let ada: ApiOwner;
  let bob: ApiOwner;
  let adaForms: CreatedForm[];
  let bobForm: CreatedForm;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    test = await startTestApp();
    [ada, bob] = await Promise.all([apiOwner(test), apiOwner(test)]);
    adaForms = [await createForm(ada), await createForm(ada)];
    bobForm = await createForm(bob);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await test.close();
  });

  const track = (dashboard: Dashboard) => {
    sockets.push(dashboard.socket);
    return dashboard;
  };

  describe('handshake', () => {
    it('refuses a socket without a session cookie', async () => {
      const socket = open(test, {});
      sockets.push(socket);
      expect(await refusal(socket)).toBe('unauthorized');
    });

    it('refuses a socket from another origin, even with a valid cookie', async () => {
      const socket = open(test, { cookie: await cookieOf(ada), origin: 'https://evil.example' });
      sockets.push(socket);
      await expect(refusal(socket)).resolves.toEqual(expect.any(String));
    });

    it('ignores a session token in the URL, and a forged cookie', async () => {
      const cookie = await cookieOf(ada);
      const [, value] = cookie.match(/intake_session=([^;]+)/) ?? [];
      const inUrl = open(test, {}, { session: value ?? '', token: value ?? '' });
      const forged = open(test, { cookie: 'intake_session=v1.default.AAAA' });
      sockets.push(inUrl, forged);
      expect(await refusal(inUrl)).toBe('unauthorized');
      expect(await refusal(forged)).toBe('unauthorized');
    });
  });

  it('tells each owner about their own submissions only, across several forms', async () => {
    const adaDashboard = track(await connect(test, ada));
    const bobDashboard = track(await connect(test, bob));
    const adaIds = [
      await submitAndProcess(test, adaForms[0]!),
      await submitAndProcess(test, adaForms[1]!),
    ];
    const bobId = await submitAndProcess(test, bobForm);
    const processed = (dashboard: Dashboard) =>
      dashboard.received.filter((event) => event.type === 'submission.processed');
    await eventually(() => processed(adaDashboard).length >= 2, 'ada’s events');
    await eventually(() => processed(bobDashboard).length >= 1, 'bob’s event');
    // Give a stray cross-tenant event the chance to arrive before concluding it does not.
    await submitAndProcess(test, adaForms[0]!);
    await eventually(() => processed(adaDashboard).length >= 3, 'ada’s third event');
    expect(processed(adaDashboard).slice(0, 2)).toEqual([
      expect.objectContaining({
        type: 'submission.processed',
        form_id: adaForms[0]!.id,
        subject_id: adaIds[0],
      }),
      expect.objectContaining({
        type: 'submission.processed',
        form_id: adaForms[1]!.id,
        subject_id: adaIds[1],
      }),
    ]);
    // Bob hears of his own submission only: its arrival, then its processing.
    expect(bobDashboard.received).toEqual(
      ['submission.created', 'submission.processed'].map((type) => ({
        type,
        form_id: bobForm.id,
        subject_id: bobId,
        at: expect.any(String),
      })),
    );
    // Ids only: no submitted data travels over the socket.
    expect(JSON.stringify(adaDashboard.received)).not.toContain('visitor@example.com');
  });

  it('tells the owner when a submission arrives, is moved to spam or deleted, and when a form changes', async () => {
    const dashboard = track(await connect(test, ada));
    const form = adaForms[1]!;
    const response = await request(test.url)
      .post(form.path)
      .send({ email: 'visitor@example.com', message: 'hello' })
      .expect(201);
    const id = response.body.id as string;
    await ada
      .api('patch', `/api/forms/${form.id}/submissions/${id}`)
      .send({ spam: true })
      .expect(200);
    await ada.api('delete', `/api/forms/${form.id}/submissions/${id}`).expect(200);
    await ada.api('put', `/api/forms/${form.id}`).send({ name: 'Renamed' }).expect(200);
    await eventually(() => dashboard.received.length >= 4, 'four events');
    expect(
      dashboard.received.map(({ type, form_id, subject_id }) => [type, form_id, subject_id]),
    ).toEqual([
      ['submission.created', form.id, id],
      ['submission.updated', form.id, id],
      ['submission.deleted', form.id, id],
      ['form.changed', form.id, null],
    ]);
  });

  it('lets a socket watch its own forms only', async () => {
    const { socket } = track(await connect(test, ada));
    const watch = (body: unknown) => socket.emitWithAck('watch_form', body);
    expect(await watch({ form_id: adaForms[0]!.id })).toEqual({ ok: true });
    expect(await watch({ form_id: bobForm.id })).toEqual({ ok: false, error: 'not_found' });
    for (const hostile of [
      {},
      { form_id: 'not-a-uuid' },
      { form_id: 42 },
      JSON.parse('{"form_id":"x","__proto__":{"admin":true}}') as unknown,
      'x'.repeat(100_000),
      null,
    ]) {
      expect(await watch(hostile)).toEqual({ ok: false, error: 'invalid_params' });
    }
    expect(await socket.emitWithAck('unwatch_form', { form_id: adaForms[0]!.id })).toEqual({
      ok: true,
    });
  });

  it('drops the sockets of a session at logout, and only those', async () => {
    const phone = await signInAgain(ada);
    const laptopDashboard = track(await connect(test, ada));
    const phoneDashboard = track(await connect(test, phone));
    await phone.agent.post('/auth/logout').set('X-CSRF-Token', phone.csrf).expect(204);
    expect(await phoneDashboard.disconnected).toBe('io server disconnect');
    expect(laptopDashboard.socket.connected).toBe(true);
  });

  it('drops the other sessions’ sockets on “sign out everywhere else”', async () => {
    const phone = await signInAgain(ada);
    const laptopDashboard = track(await connect(test, ada));
    const phoneDashboard = track(await connect(test, phone));
    await ada.agent
      .post('/account/sessions/revoke-others')
      .set('X-CSRF-Token', ada.csrf)
      .expect(200);
    expect(await phoneDashboard.disconnected).toBe('io server disconnect');
    expect(laptopDashboard.socket.connected).toBe(true);
  });

  async function signInAgain(user: SignedInUser): Promise<SignedInUser> {
    const agent = request.agent(test.url);
    const response = await agent
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    return { ...user, agent, csrf: response.body.csrf_token as string };
  }
});

/**
 * Two api instances of one deployment (shared PostgreSQL and Redis): an event produced on
 * one reaches sockets held by the other, and revoking a session on one drops its socket on
 * the other. Needs a database two processes can share and Redis; CI runs it.
 */
(usingPostgres && usingRedis ? describe : describe.skip)('two api instances with Redis', () => {
  let first: TestApp;
  let second: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({}, { sameDeploymentAs: first });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await second.close();
    await first.close();
  });

  it('fans events out to sockets on the other instance, and only the owner’s', async () => {
    const [ada, bob] = await Promise.all([apiOwner(first), apiOwner(first)]);
    const form = await createForm(ada);
    const onSecond = await connect(second, ada);
    const bobOnSecond = await connect(second, bob);
    sockets.push(onSecond.socket, bobOnSecond.socket);
    const id = await submitAndProcess(first, form);
    await eventually(() => onSecond.received.length >= 2, 'the events on the second instance');
    expect(onSecond.received).toEqual(
      ['submission.created', 'submission.processed'].map((type) => ({
        type,
        form_id: form.id,
        subject_id: id,
        at: expect.any(String),
      })),
    );
    expect(bobOnSecond.received).toEqual([]);
  });

  it('drops a revoked session’s socket held by the other instance', async () => {
    const ada = await apiOwner(first);
    const onSecond = await connect(second, ada);
    sockets.push(onSecond.socket);
    await ada.agent.post('/auth/logout').set('X-CSRF-Token', ada.csrf).expect(204);
    expect(await onSecond.disconnected).toBe('io server disconnect');
  });
});
