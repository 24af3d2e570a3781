import { createHash } from 'node:crypto';
import request from 'supertest';
import { PASSWORD, signUp, uniqueEmail, type SignedInUser } from '../support/accounts';
import {
  lastLinkMailTo,
  linkFrom,
  linkMailsTo,
  mailsTo,
  tokenAndAuditRows,
  tokenFrom,
  startMailTestApp,
  type MailTestApp,
} from '../support/mail-links';
import type { SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const RESET = '/auth/password/reset';
const MAGIC = '/auth/magic-link/verify';
const NEW_PASSWORD = 'a brand new passphrase 42';

describe('password reset', () => {
  let app: MailTestApp;
  let sink: SmtpSink;
  let test: TestApp;
  let nextIp: () => string;

  beforeAll(async () => {
    app = await startMailTestApp('192.0.2', { LOGIN_MAX_FAILURES_PER_IP: '1000' });
    ({ sink, test, nextIp } = app);
  });
  afterAll(() => app.close());

  const forgot = (email: unknown, ip = nextIp()) =>
    request(test.url).post('/auth/password/forgot').set('X-Forwarded-For', ip).send({ email });
  const reset = (body: Record<string, unknown>) =>
    request(test.url).post(RESET).set('X-Forwarded-For', nextIp()).send(body);
  const login = (email: string, password: string) =>
    request(test.url)
      .post('/auth/login')
      .set('X-Forwarded-For', nextIp())
      .send({ email, password });

  async function resetToken(user: { email: string }): Promise<string> {
    await forgot(user.email).expect(202);
    return tokenFrom(await lastLinkMailTo(test, sink, user.email, RESET));
  }

  async function magicLinkToken(user: { email: string }): Promise<string> {
    await request(test.url)
      .post('/auth/magic-link')
      .set('X-Forwarded-For', nextIp())
      .send({ email: user.email })
      .expect(202);
    return tokenFrom(await lastLinkMailTo(test, sink, user.email, MAGIC));
  }

  const confirmMagicLink = (token: string) =>
    request(test.url)
      .post(MAGIC)
      .set('Origin', test.config.publicOrigin)
      .type('form')
      .send({ token });

  describe('asking for a link', () => {
    it('answers a known and an unknown address alike; only the known one gets mail', async () => {
      const known = await signUp(test);
      const unknown = uniqueEmail('stranger');
      const [a, b] = [await forgot(known.email).expect(202), await forgot(unknown).expect(202)];
      expect(a.body).toEqual(b.body);
      expect(a.headers['set-cookie']).toBeUndefined();
      expect(b.headers['set-cookie']).toBeUndefined();
      expect(await mailsTo(test, sink, unknown)).toEqual([]);
      const mail = await lastLinkMailTo(test, sink, known.email, RESET);
      expect(mail.parsed.subject).toBe('Reset your Intake password');
      expect(linkFrom(mail).toString()).toMatch(
        new RegExp(`^${test.config.publicUrl}/auth/password/reset\\?token=[A-Za-z0-9_-]{43}$`),
      );
      const row = await test.prisma.accountToken.findUniqueOrThrow({
        where: { tokenHash: sha256(tokenFrom(mail)) },
      });
      expect(row).toEqual(expect.objectContaining({ userId: known.id, purpose: 'password_reset' }));
      expect(
        Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 30 * 60_000),
      ).toBeLessThan(5_000);
      expect(await tokenAndAuditRows(test)).not.toContain(tokenFrom(mail));
      expect(
        await test.prisma.auditEvent.count({
          where: { userId: known.id, action: 'user.password_reset.requested' },
        }),
      ).toBe(1);
      expect(JSON.stringify(await test.prisma.auditEvent.findMany())).not.toContain(unknown);
    });

    it('refuses the 6th request within the hour per address and per IP', async () => {
      const user = await signUp(test);
      for (let i = 0; i < 5; i += 1) await forgot(user.email).expect(202);
      const sixth = await forgot(user.email).expect(429);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      expect(await linkMailsTo(test, sink, user.email, RESET)).toHaveLength(5);

      const ip = nextIp();
      for (let i = 0; i < 5; i += 1) await forgot(uniqueEmail(), ip).expect(202);
      await forgot(uniqueEmail(), ip).expect(429);
    });

    it.each([
      ['a prototype key', '{"__proto__": {"email": "x@example.com"}, "email": "a@example.com"}'],
      ['HTML', JSON.stringify({ email: '"><img src=x onerror=alert(1)>@example.com' })],
      ['a huge address', JSON.stringify({ email: `${'é'.repeat(50_000)}@example.com` })],
      ['an object', '{"email": {"$ne": null}}'],
    ])('refuses %s with a 422 and mails nothing', async (_, body) => {
      const response = await request(test.url)
        .post('/auth/password/forgot')
        .set('X-Forwarded-For', nextIp())
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(422);
      expect(JSON.stringify(response.body)).not.toMatch(/img|éé|example/);
      expect(await mailsTo(test, sink, 'a@example.com')).toEqual([]);
    });
  });

  describe('the reset page', () => {
    it('shows a form with the token, under the strict CSP, using nothing', async () => {
      const user = await signUp(test);
      const token = await resetToken(user);
      const page = await request(test.url).get(RESET).query({ token }).expect(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("form-action 'self'");
      expect(page.text).toContain('<form method="post" action="/auth/password/reset">');
      expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
      expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      const row = await test.prisma.accountToken.findUniqueOrThrow({
        where: { tokenHash: sha256(token) },
      });
      expect(row.usedAt).toBeNull();
    });

    it('says at once when the link cannot be used', async () => {
      const response = await request(test.url)
        .get(RESET)
        .query({ token: 'x'.repeat(43) })
        .expect(401);
      expect(response.text).toContain('This link is invalid, has expired or has already been used');
    });
  });

  describe('setting the new password', () => {
    let user: SignedInUser;
    let otherBrowser: SignedInUser['agent'];

    beforeEach(async () => {
      user = await signUp(test);
      otherBrowser = request.agent(test.url);
      await otherBrowser
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
    });

    it('sets it, ends every session and every other link, verifies the address, and does not sign in', async () => {
      const magicLink = await magicLinkToken(user);
      const otherReset = await resetToken(user);
      const token = await resetToken(user);
      const response = await reset({ token, password: NEW_PASSWORD }).expect(200);
      expect(response.body).toEqual({ message: expect.any(String) });
      expect(response.headers['set-cookie']).toBeUndefined();

      await login(user.email, PASSWORD).expect(401);
      await login(user.email, NEW_PASSWORD).expect(200);
      await user.agent.get('/account/sessions').expect(401);
      await otherBrowser.get('/account/sessions').expect(401);
      await confirmMagicLink(magicLink).expect(401);
      await reset({ token: otherReset, password: 'yet another passphrase 7' }).expect(401);

      const row = await test.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.emailVerifiedAt).not.toBeNull();
      const completed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: user.id, action: 'user.password_reset.completed' },
      });
      expect(completed.metadata).toEqual({ sessions_ended: 2 });
      const notice = (await mailsTo(test, sink, user.email)).find(
        (mail) => mail.parsed.subject === 'Your Intake password was changed',
      );
      expect(notice?.parsed.text).not.toMatch(/https?:/);
      const stored = await tokenAndAuditRows(test);
      for (const secret of [token, otherReset, magicLink, NEW_PASSWORD]) {
        expect(stored).not.toContain(secret);
      }
    });

    it('works once: a second use is 401 invalid_token, audited with its reason', async () => {
      const token = await resetToken(user);
      await reset({ token, password: NEW_PASSWORD }).expect(200);
      const again = await reset({ token, password: 'yet another passphrase 7' }).expect(401);
      expect(again.body.error.code).toBe('invalid_token');
      await login(user.email, NEW_PASSWORD).expect(200);
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: user.id, action: 'user.login.failed' },
      });
      expect(failed.metadata).toEqual({ method: 'password_reset', reason: 'used' });
    });

    it('refuses an expired or tampered link and changes nothing', async () => {
      const token = await resetToken(user);
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(
        (await reset({ token: tampered, password: NEW_PASSWORD }).expect(401)).body.error.code,
      ).toBe('invalid_token');
      await test.prisma.accountToken.update({
        where: { tokenHash: sha256(token) },
        data: { expiresAt: new Date(Date.now() - 1) },
      });
      await reset({ token, password: NEW_PASSWORD }).expect(401);
      await login(user.email, PASSWORD).expect(200);
      await otherBrowser.get('/account/sessions').expect(200);
    });

    it('lets exactly one of two concurrent resets through', async () => {
      const token = await resetToken(user);
      const statuses = await Promise.all(
        ['first passphrase 123', 'second passphrase 456'].map((password) =>
          reset({ token, password }).then((response) => response.status),
        ),
      );
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it.each([
      ['a short password', { password: 'short1!' }, 'password'],
      ['a common password', { password: 'password1' }, 'password'],
      ['an overlong password', { password: 'x'.repeat(257) }, 'password'],
      ['a number for the token', { token: 42 }, 'token'],
      ['a huge token', { token: 'A'.repeat(10_000) }, 'token'],
      ['an extra field', { admin: true }, 'body'],
    ])('checks %s like sign-up (422), keeping the link usable', async (_, override, field) => {
      const token = await resetToken(user);
      const body = { token, password: NEW_PASSWORD, ...override };
      const response = await reset(body).expect(422);
      expect(Object.keys(response.body.error.details)).toContain(field);
      expect(JSON.stringify(response.body)).not.toContain(token);
      await reset({ token, password: NEW_PASSWORD }).expect(200);
    });

    it('takes the reset page’s form post and answers with pages', async () => {
      const token = await resetToken(user);
      const weak = await request(test.url)
        .post(RESET)
        .set('Origin', test.config.publicOrigin)
        .type('form')
        .send({ token, password: 'password1' })
        .expect(422);
      expect(weak.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(weak.text).toContain('password: is too common; choose another');
      expect(weak.text).not.toContain('password1');
      const done = await request(test.url)
        .post(RESET)
        .set('Origin', test.config.publicOrigin)
        .type('form')
        .send({ token, password: NEW_PASSWORD })
        .expect(200);
      expect(done.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(done.text).toContain('Password changed');
      await login(user.email, NEW_PASSWORD).expect(200);
      await request(test.url)
        .post(RESET)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ token, password: NEW_PASSWORD })
        .expect(403);
    });
  });

  it('a password change ends outstanding sign-in and reset links', async () => {
    const user = await signUp(test);
    const magicLink = await magicLinkToken(user);
    const resetLink = await resetToken(user);
    const changed = await user.agent
      .post('/account/password')
      .set('X-CSRF-Token', user.csrf)
      .send({ current_password: PASSWORD, new_password: NEW_PASSWORD })
      .expect(200);
    expect(changed.body.user.email).toBe(user.email);
    await confirmMagicLink(magicLink).expect(401);
    await reset({ token: resetLink, password: 'yet another passphrase 7' }).expect(401);
    await login(user.email, NEW_PASSWORD).expect(200);
  });

  it('links of one account cannot reset another account', async () => {
    const [alice, bob] = [await signUp(test), await signUp(test)];
    const token = await resetToken(alice);
    await reset({ token, password: NEW_PASSWORD }).expect(200);
    await login(bob.email, PASSWORD).expect(200);
    await login(alice.email, NEW_PASSWORD).expect(200);
    await bob.agent.get('/account/sessions').expect(200);
  });
});
