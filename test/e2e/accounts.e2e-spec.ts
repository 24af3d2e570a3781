import request from 'supertest';
import { PASSWORD, signUp, uniqueEmail } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('accounts: sign-up, sign-in, sign-out, CSRF', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('signs up with a session cookie that is HttpOnly, SameSite=Lax and sealed', async () => {
    const email = uniqueEmail();
    const response = await request(test.url)
      .post('/auth/signup')
      .send({ email: email.toUpperCase(), password: PASSWORD })
      .expect(201);
    expect(response.body.user).toEqual({
      id: expect.any(String),
      email,
      email_verified: false,
      created_at: expect.any(String),
    });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^intake_session=v1\.[^;]+; .*HttpOnly; SameSite=Lax/);
    expect(response.body).not.toHaveProperty('user.password_hash');
  });

  it('refuses a second account for the same address, whatever its case', async () => {
    const email = uniqueEmail();
    await request(test.url).post('/auth/signup').send({ email, password: PASSWORD }).expect(201);
    const response = await request(test.url)
      .post('/auth/signup')
      .send({ email: email.toUpperCase(), password: PASSWORD })
      .expect(409);
    expect(response.body.error.code).toBe('conflict');
  });

  it.each([
    ['a short password', { password: 'short1!' }, 'password'],
    ['a common password', { password: 'password1' }, 'password'],
    ['an overlong password', { password: 'x'.repeat(257) }, 'password'],
    ['a malformed e-mail', { email: 'not-an-email' }, 'email'],
    ['an overlong e-mail', { email: `${'a'.repeat(250)}@example.com` }, 'email'],
    ['a missing e-mail', { email: undefined }, 'email'],
    ['a number for the e-mail', { email: 42 }, 'email'],
  ])(
    'rejects %s with a 422 naming the field and not echoing the value',
    async (_, override, field) => {
      const body = { email: uniqueEmail(), password: PASSWORD, ...override };
      const response = await request(test.url).post('/auth/signup').send(body).expect(422);
      expect(response.body.error.code).toBe('validation_error');
      expect(Object.keys(response.body.error.details)).toContain(field);
      if (typeof body.password === 'string')
        expect(JSON.stringify(response.body)).not.toContain(body.password);
    },
  );

  it('signs in, rotating to a new session each time, and signs out', async () => {
    const user = await signUp(test);
    const first = await request(test.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const second = await request(test.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    expect(first.headers['set-cookie']).not.toEqual(second.headers['set-cookie']);
    expect(first.body.csrf_token).not.toBe(second.body.csrf_token);

    await user.agent.get('/account/api-keys').expect(200);
    await user.agent.post('/auth/logout').set('X-CSRF-Token', user.csrf).expect(204);
    await user.agent.get('/account/api-keys').expect(401);
  });

  it('gives the same 401 for an unknown e-mail and for a wrong password', async () => {
    const user = await signUp(test);
    const unknown = await request(test.url)
      .post('/auth/login')
      .send({ email: uniqueEmail(), password: PASSWORD })
      .expect(401);
    const wrong = await request(test.url)
      .post('/auth/login')
      .send({ email: user.email, password: 'wrong password here' })
      .expect(401);
    expect(unknown.body.error).toEqual({
      ...wrong.body.error,
      request_id: unknown.body.error.request_id,
    });
    expect(unknown.body.error.code).toBe('unauthorized');
  });

  it('hands out the CSRF token only to a session', async () => {
    await request(test.url).get('/auth/csrf').expect(401);
    const user = await signUp(test);
    const response = await user.agent.get('/auth/csrf').expect(200);
    expect(response.body.csrf_token).toBe(user.csrf);
  });

  it('refuses state-changing cookie requests without the right CSRF token', async () => {
    const user = await signUp(test);
    const other = await signUp(test);
    await user.agent.post('/account/api-keys').send({ name: 'no token' }).expect(403);
    await user.agent
      .post('/account/api-keys')
      .set('X-CSRF-Token', other.csrf)
      .send({ name: 'wrong token' })
      .expect(403);
    await user.agent.post('/auth/logout').set('X-CSRF-Token', 'x'.repeat(43)).expect(403);
    const response = await user.agent
      .post('/account/api-keys')
      .set('X-CSRF-Token', user.csrf)
      .send({ name: 'right token' })
      .expect(201);
    expect(response.body.secret).toMatch(/^ik_live_/);
  });

  it('refuses sign-in and sign-up posted from a foreign origin (login CSRF)', async () => {
    const user = await signUp(test);
    await request(test.url)
      .post('/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ email: user.email, password: PASSWORD })
      .expect(403);
    await request(test.url)
      .post('/auth/login')
      .set('Origin', test.config.publicOrigin)
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
  });

  it('ignores a tampered or foreign session cookie', async () => {
    const user = await signUp(test);
    const cookie = (await user.agent.get('/auth/csrf')).request.cookies as unknown as string;
    expect(typeof cookie).toBe('string');
    const tampered = cookie.replace(
      /(intake_session=v1\.k0\.)(.)/,
      (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'),
    );
    await request(test.url).get('/auth/csrf').set('Cookie', tampered).expect(401);
    await request(test.url).get('/auth/csrf').set('Cookie', 'intake_session=forged').expect(401);
  });
});
