import request from 'supertest';
import { PASSWORD, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('session control and password change', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  /** Another browser signed in to the same account. */
  async function signIn(user: SignedInUser, userAgent: string): Promise<SignedInUser> {
    const agent = request.agent(test.url);
    const response = await agent
      .post('/auth/login')
      .set('User-Agent', userAgent)
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    return { ...user, agent, csrf: response.body.csrf_token };
  }

  it('lists the active sessions, marking the current one', async () => {
    const laptop = await signUp(test);
    await signIn(laptop, 'phone/1.0');
    const response = await laptop.agent.get('/account/sessions').expect(200);
    expect(response.body.sessions).toHaveLength(2);
    expect(response.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(
      response.body.sessions.map((s: { user_agent: string | null }) => s.user_agent),
    ).toContain('phone/1.0');
    expect(JSON.stringify(response.body)).not.toMatch(/token|hash/);
  });

  it('ends one session: its cookie stops working at once', async () => {
    const laptop = await signUp(test);
    const phone = await signIn(laptop, 'phone/1.0');
    const phoneId = (await laptop.agent.get('/account/sessions').expect(200)).body.sessions.find(
      (s: { current: boolean }) => !s.current,
    ).id;
    await laptop.agent
      .delete(`/account/sessions/${phoneId}`)
      .set('X-CSRF-Token', laptop.csrf)
      .expect(204);
    await phone.agent.get('/account/sessions').expect(401);
    await laptop.agent.get('/account/sessions').expect(200);
    await laptop.agent
      .delete(`/account/sessions/${phoneId}`)
      .set('X-CSRF-Token', laptop.csrf)
      .expect(404);
  });

  it('signs out everywhere else', async () => {
    const laptop = await signUp(test);
    const phone = await signIn(laptop, 'phone/1.0');
    const tablet = await signIn(laptop, 'tablet/1.0');
    expect(
      (
        await laptop.agent
          .post('/account/sessions/revoke-others')
          .set('X-CSRF-Token', laptop.csrf)
          .expect(200)
      ).body,
    ).toEqual({ revoked: 2 });
    await phone.agent.get('/account/sessions').expect(401);
    await tablet.agent.get('/account/sessions').expect(401);
    expect((await laptop.agent.get('/account/sessions').expect(200)).body.sessions).toHaveLength(1);
    const audit = await test.prisma.auditEvent.findMany({
      where: { userId: laptop.id, action: 'session.revoked_others' },
    });
    expect(audit).toHaveLength(1);
  });

  it('changes the password: every session ends, this browser gets a new one, the old password stops working', async () => {
    const laptop = await signUp(test);
    const phone = await signIn(laptop, 'phone/1.0');
    const newPassword = 'an entirely different passphrase';
    const response = await laptop.agent
      .post('/account/password')
      .set('X-CSRF-Token', laptop.csrf)
      .send({ current_password: PASSWORD, new_password: newPassword })
      .expect(200);
    expect(response.body.csrf_token).not.toBe(laptop.csrf);
    expect(String(response.headers['set-cookie'])).toMatch(/^intake_session=/);
    await phone.agent.get('/account/sessions').expect(401);
    // The agent now holds the rotated cookie; the old CSRF token belonged to the old session.
    await laptop.agent
      .post('/account/sessions/revoke-others')
      .set('X-CSRF-Token', laptop.csrf)
      .expect(403);
    expect((await laptop.agent.get('/account/sessions').expect(200)).body.sessions).toHaveLength(1);
    await request(test.url)
      .post('/auth/login')
      .send({ email: laptop.email, password: PASSWORD })
      .expect(401);
    await request(test.url)
      .post('/auth/login')
      .send({ email: laptop.email, password: newPassword })
      .expect(200);
    const row = await test.prisma.user.findUniqueOrThrow({ where: { id: laptop.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(newPassword);
  });

  it.each([
    [
      'a wrong current password',
      { current_password: 'not my password', new_password: 'a brand new passphrase' },
      'current_password',
    ],
    [
      'a common new password',
      { current_password: PASSWORD, new_password: 'password1' },
      'new_password',
    ],
    [
      'the same password again',
      { current_password: PASSWORD, new_password: PASSWORD },
      'new_password',
    ],
    [
      'an unknown field',
      { current_password: PASSWORD, new_password: 'a brand new passphrase', email: 'x@y.z' },
      'body',
    ],
  ])('refuses %s with 422 and keeps the sessions', async (_, body, field) => {
    const user = await signUp(test);
    const response = await user.agent
      .post('/account/password')
      .set('X-CSRF-Token', user.csrf)
      .send(body)
      .expect(422);
    expect(Object.keys(response.body.error.details)).toContain(field);
    await user.agent.get('/account/sessions').expect(200);
  });

  it('needs the CSRF token and a session', async () => {
    const user = await signUp(test);
    await user.agent
      .post('/account/password')
      .send({ current_password: PASSWORD, new_password: 'a brand new passphrase' })
      .expect(403);
    await request(test.url).get('/account/sessions').expect(401);
  });

  it('never lets another user see or end your sessions', async () => {
    const owner = await signUp(test);
    const intruder = await signUp(test);
    const ownerSessionId = (await owner.agent.get('/account/sessions').expect(200)).body.sessions[0]
      .id;
    const seen = (await intruder.agent.get('/account/sessions').expect(200)).body.sessions.map(
      (s: { id: string }) => s.id,
    );
    expect(seen).not.toContain(ownerSessionId);
    await intruder.agent
      .delete(`/account/sessions/${ownerSessionId}`)
      .set('X-CSRF-Token', intruder.csrf)
      .expect(404);
    await owner.agent.get('/account/sessions').expect(200);
  });

  it('ends a session idle longer than SESSION_IDLE_HOURS (7 days), whatever its age', async () => {
    const user = await signUp(test);
    await user.agent.get('/account/sessions').expect(200);
    await test.prisma.session.updateMany({
      where: { userId: user.id },
      data: { lastSeenAt: new Date(Date.now() - (7 * 24 + 1) * 3_600_000) },
    });
    await user.agent.get('/account/sessions').expect(401);
  });

  it('ends a session SESSION_ABSOLUTE_HOURS (30 days) after sign-in, however active', async () => {
    const user = await signUp(test);
    const session = await test.prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    // Set at sign-in from the app's clock (created_at is the database's): within a minute.
    const lifetime = session.expiresAt.getTime() - session.createdAt.getTime();
    expect(Math.abs(lifetime - 30 * 24 * 3_600_000)).toBeLessThan(60_000);
    await test.prisma.session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await user.agent.get('/account/sessions').expect(401);
  });
});
