import { createHash } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { BROWSER_PATHS } from '@intake/auth';
import { signUp, uniqueEmail } from '../support/accounts';
import {
  lastLinkMailTo,
  linkFrom,
  linkMailsTo,
  mailsTo,
  pathOf,
  tokenAndAuditRows,
  tokenFrom,
} from '../support/mail-links';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { enableTwoFactor, totpCode } from '../support/two-factor';

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const VERIFY = '/auth/magic-link/verify';

/** Each test asks from its own addresses, so per-IP limits meet only the test about them. */
let lastIp = 0;
const nextIp = () => `198.51.100.${(lastIp += 1)}`;

describe('magic links', () => {
  let sink: SmtpSink;
  let test: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    test = await startTestApp({ SMTP_URL: sink.url, TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await test.close();
    await sink.close();
  });

  /** A browser asking for a link: it keeps the nonce cookie, as a real one would. */
  function ask(email: unknown, browser: TestAgent = request.agent(test.url), ip = nextIp()) {
    return browser.post('/auth/magic-link').set('X-Forwarded-For', ip).send({ email });
  }

  async function linkFor(email: string, browser: TestAgent = request.agent(test.url)) {
    await ask(email, browser).expect(202);
    const mail = await lastLinkMailTo(test, sink, email, VERIFY);
    return { browser, mail, link: pathOf(linkFrom(mail)), token: tokenFrom(mail) };
  }

  const tokenRow = (token: string) =>
    test.prisma.accountToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
  const signedIn = (browser: TestAgent) => browser.get('/account/sessions').expect(200);
  const confirmPost = (browser: TestAgent, token: string) =>
    browser
      .post('/auth/magic-link/verify')
      .set('Origin', test.config.publicOrigin)
      .type('form')
      .send({ token });

  describe('asking for a link', () => {
    it('answers a known and an unknown address alike, and marks the browser with a nonce cookie', async () => {
      const known = await signUp(test);
      const unknown = uniqueEmail('stranger');
      const [a, b] = [await ask(known.email).expect(202), await ask(unknown).expect(202)];
      expect(a.body).toEqual(b.body);
      expect(a.body).toEqual({ message: expect.any(String) });
      const shape = (headers: Record<string, string>) =>
        Object.keys(headers)
          .filter((name) => !['date', 'x-request-id'].includes(name))
          .sort()
          .map((name) => [name, name.startsWith('ratelimit') ? '' : headers[name]]);
      // The nonce differs by design, and Expires when the two answers straddle a second.
      const cookieless = (response: request.Response) => ({
        ...response.headers,
        'set-cookie': String(response.headers['set-cookie'])
          .replace(/=[^;]+/, '=<nonce>')
          .replace(/Expires=[^;]+/, 'Expires=<date>'),
      });
      expect(shape(cookieless(a))).toEqual(shape(cookieless(b)));
      expect(String(a.headers['set-cookie'])).toMatch(
        /^intake_magic_link=[A-Za-z0-9_-]{43}; Max-Age=900; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
      );

      const [signIn, signUpMail] = [
        await lastLinkMailTo(test, sink, known.email, VERIFY),
        await lastLinkMailTo(test, sink, unknown, VERIFY),
      ];
      expect(await mailsTo(test, sink, unknown)).toEqual([signUpMail]);
      expect(signIn.parsed.subject).toBe('Your Intake sign-in link');
      expect(signUpMail.parsed.subject).toBe('Create your Intake account');
      for (const mail of [signIn, signUpMail]) {
        expect(linkFrom(mail).toString()).toMatch(
          new RegExp(`^${test.config.publicUrl}/auth/magic-link/verify\\?token=[A-Za-z0-9_-]{43}$`),
        );
        expect(mail.parsed.html).toContain(`href="${linkFrom(mail).toString()}"`);
      }
      // Only the request about an account is audited; the unknown address is not in the trail
      // (only on its sign-up link's row, which must know whom to create).
      const requested = await test.prisma.auditEvent.findMany({
        where: { action: 'user.magic_link.requested' },
      });
      expect(requested.map((event) => event.userId)).toEqual([known.id]);
      expect(JSON.stringify(await test.prisma.auditEvent.findMany())).not.toContain(unknown);
    });

    it('keeps only hashes: no token in any token row or audit entry', async () => {
      const { token } = await linkFor((await signUp(test)).email);
      const row = await tokenRow(token);
      expect(row).toEqual(
        expect.objectContaining({
          purpose: 'magic_link',
          usedAt: null,
          browserNonceHash: expect.anything(),
        }),
      );
      // Set from the app's clock, created_at from the database's: equal to a few ms.
      expect(
        Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 15 * 60_000),
      ).toBeLessThan(5_000);
      expect(await tokenAndAuditRows(test)).not.toContain(token);
    });

    it('refuses the 6th request within the hour for one address, from any IP, known or not', async () => {
      for (const email of [(await signUp(test)).email, uniqueEmail('nobody')]) {
        for (let i = 0; i < 5; i += 1) await ask(email).expect(202);
        const sixth = await ask(email).expect(429);
        expect(sixth.body.error.code).toBe('rate_limited');
        expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
        expect(await linkMailsTo(test, sink, email, VERIFY)).toHaveLength(5);
      }
    });

    it('refuses the 6th request within the hour from one IP, whatever the address', async () => {
      const ip = nextIp();
      for (let i = 0; i < 5; i += 1) {
        await ask(uniqueEmail(), request.agent(test.url), ip).expect(202);
      }
      const sixth = await ask(uniqueEmail(), request.agent(test.url), ip).expect(429);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      await ask(uniqueEmail()).expect(202);
    });

    it.each([
      ['a prototype key', '{"__proto__": {"email": "x@example.com"}, "email": "a@example.com"}'],
      ['a constructor key', '{"constructor": {"prototype": {}}, "email": "a@example.com"}'],
      ['a huge address', JSON.stringify({ email: `${'a'.repeat(100_000)}@example.com` })],
      ['HTML', JSON.stringify({ email: '<script>alert(1)</script>@example.com' })],
      ['a number', '{"email": 42}'],
      ['an array', '{"email": ["a@example.com"]}'],
      ['nothing', '{}'],
      ['a control character', JSON.stringify({ email: 'a\u0000b@example.com' })],
      ['a right-to-left override', JSON.stringify({ email: 'ad\u202emin@example.com' })],
    ])('refuses %s with a 422 that echoes nothing, and sends nothing', async (_, body) => {
      const response = await request(test.url)
        .post('/auth/magic-link')
        .set('X-Forwarded-For', nextIp())
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(422);
      expect(response.body.error.code).toBe('validation_error');
      expect(JSON.stringify(response.body)).not.toMatch(/script|aaaaaaaa|example/);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await mailsTo(test, sink, 'a@example.com')).toEqual([]);
    });

    it('refuses a foreign Origin (no sign-in CSRF) and a non-JSON body', async () => {
      await request(test.url)
        .post('/auth/magic-link')
        .set('Origin', 'https://evil.example')
        .send({ email: uniqueEmail() })
        .expect(403);
      await request(test.url)
        .post('/auth/magic-link')
        .type('form')
        .send({ email: uniqueEmail() })
        .expect(415);
    });
  });

  describe('opening the link in the browser that asked for it', () => {
    it('signs in at once (303 to the dashboard) and marks the address verified', async () => {
      const user = await signUp(test);
      expect(
        (await test.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt,
      ).toBeNull();
      const { browser, link, token } = await linkFor(user.email);
      const response = await browser.get(link).expect(303);
      expect(response.headers.location).toBe(BROWSER_PATHS.dashboard);
      expect(String(response.headers['set-cookie'])).toMatch(/intake_session=/);
      const sessions = await signedIn(browser);
      expect(sessions.body.sessions).toHaveLength(2);
      expect((await tokenRow(token)).usedAt).not.toBeNull();
      const row = await test.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.emailVerifiedAt).not.toBeNull();
      const events = await test.prisma.auditEvent.findMany({ where: { userId: user.id } });
      expect(events.map((event) => event.action)).toEqual(
        expect.arrayContaining(['user.email_verified', 'user.login.succeeded']),
      );
      expect(events.find((event) => event.action === 'user.login.succeeded')?.metadata).toEqual(
        expect.objectContaining({ method: 'magic_link' }),
      );
    });

    it('works once: a second use is a 401 page, audited with its reason', async () => {
      const user = await signUp(test);
      const { browser, link } = await linkFor(user.email);
      await browser.get(link).expect(303);
      const again = await browser.get(link).expect(401);
      expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(again.text).toContain('This link is invalid, has expired or has already been used');
      expect(again.headers['set-cookie']).toBeUndefined();
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: user.id, action: 'user.login.failed' },
      });
      expect(failed.metadata).toEqual({ method: 'magic_link', reason: 'used' });
    });

    it('refuses an expired link without signing in', async () => {
      const user = await signUp(test);
      const { browser, link, token } = await linkFor(user.email);
      await test.prisma.accountToken.update({
        where: { tokenHash: sha256(token) },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      await browser.get(link).expect(401);
      await browser.get('/account/sessions').expect(401);
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: user.id, action: 'user.login.failed' },
      });
      expect(failed.metadata).toEqual({ method: 'magic_link', reason: 'expired' });
    });

    it('refuses a tampered, truncated, padded or missing token', async () => {
      const { browser, token } = await linkFor((await signUp(test)).email);
      const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
      for (const bad of [
        flipped,
        token.slice(0, 42),
        `${token}A`,
        token.toLowerCase(),
        '<b>x</b>',
      ]) {
        const response = await browser
          .get('/auth/magic-link/verify')
          .query({ token: bad })
          .expect(401);
        expect(response.text).not.toContain('<b>x</b>');
      }
      await browser.get('/auth/magic-link/verify').expect(400);
      await browser.get(`/auth/magic-link/verify?token=${token}&token=${token}`).expect(400);
      await browser.get(`/auth/magic-link/verify?token=${'A'.repeat(5000)}`).expect(400);
      await browser.get('/account/sessions').expect(401);
      // The real token still works.
      await browser.get(`/auth/magic-link/verify?token=${token}`).expect(303);
    });

    it('with 2FA on, ends at the 2FA step with no session until the code', async () => {
      const user = await enableTwoFactor(await signUp(test));
      const { browser, link } = await linkFor(user.email);
      const response = await browser.get(link).expect(303);
      expect(response.headers.location).toBe(BROWSER_PATHS.twoFactor);
      expect(String(response.headers['set-cookie'])).not.toMatch(/intake_session=/);
      await browser.get('/account/sessions').expect(401);
      const done = await browser
        .post('/auth/2fa')
        .send({ code: totpCode(user.secret, 1) })
        .expect(200);
      expect(done.body.user.email).toBe(user.email);
      await signedIn(browser);
    });
  });

  describe('opening the link anywhere else', () => {
    it('asks first, signs nobody in and uses nothing (mail scanners), then the post signs in', async () => {
      const user = await signUp(test);
      const { link, token } = await linkFor(user.email);
      const elsewhere = request.agent(test.url);
      for (let prefetch = 0; prefetch < 2; prefetch += 1) {
        const page = await elsewhere.get(link).expect(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.headers['content-security-policy']).toContain("default-src 'none'");
        expect(page.headers['content-security-policy']).toContain("form-action 'self'");
        expect(page.headers['set-cookie']).toBeUndefined();
        expect(page.text).toContain(`Sign in as ${user.email}?`);
        expect(page.text).toContain('<form method="post" action="/auth/magic-link/verify">');
        expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
        expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      }
      expect((await tokenRow(token)).usedAt).toBeNull();
      await elsewhere.get('/account/sessions').expect(401);

      const posted = await confirmPost(elsewhere, token).expect(303);
      expect(posted.headers.location).toBe(BROWSER_PATHS.dashboard);
      await signedIn(elsewhere);
      await confirmPost(request.agent(test.url), token).expect(401);
    });

    it('lets exactly one of two concurrent confirmations sign in', async () => {
      const { token } = await linkFor((await signUp(test)).email);
      const [first, second] = [request.agent(test.url), request.agent(test.url)];
      const statuses = await Promise.all([
        confirmPost(first, token).then((response) => response.status),
        confirmPost(second, token).then((response) => response.status),
      ]);
      expect(statuses.sort()).toEqual([303, 401]);
    });

    it('refuses the confirmation from a foreign origin, as JSON, or with extra fields', async () => {
      const { token } = await linkFor((await signUp(test)).email);
      const foreign = await request(test.url)
        .post('/auth/magic-link/verify')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ token })
        .expect(403);
      expect(foreign.headers['content-type']).toBe('text/html; charset=utf-8');
      await request(test.url).post('/auth/magic-link/verify').send({ token }).expect(415);
      const polluted = await request(test.url)
        .post('/auth/magic-link/verify')
        .type('form')
        .send(`token=${token}&__proto__[admin]=1&constructor=x`)
        .expect(422);
      expect(polluted.text).not.toContain(token);
      expect((await tokenRow(token)).usedAt).toBeNull();
    });
  });

  describe('an address without an account', () => {
    it('creates the account (verified, no password) when the link is used, not before', async () => {
      const email = uniqueEmail('newcomer');
      const { browser, link } = await linkFor(email);
      expect(await test.prisma.user.findUnique({ where: { email } })).toBeNull();
      expect((await browser.get(link).expect(303)).headers.location).toBe(BROWSER_PATHS.dashboard);
      const user = await test.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(user.passwordHash).toBeNull();
      expect(user.emailVerifiedAt).not.toBeNull();
      const signup = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: user.id, action: 'user.signup' },
      });
      expect(signup.metadata).toEqual({ method: 'magic_link' });
      await signedIn(browser);
    });

    it('signs in to the account someone made with the address meanwhile', async () => {
      const email = uniqueEmail('late');
      const { browser, link } = await linkFor(email);
      const made = await signUp(test, email);
      await browser.get(link).expect(303);
      const sessions = await signedIn(browser);
      expect(sessions.body.sessions).toHaveLength(2);
      expect(await test.prisma.user.count({ where: { email } })).toBe(1);
      expect(made.email).toBe(email);
    });
  });
});

describe('magic links with MAGIC_LINK_SIGNUP=false', () => {
  let sink: SmtpSink;
  let test: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    test = await startTestApp({ SMTP_URL: sink.url, MAGIC_LINK_SIGNUP: 'false' });
  });
  afterAll(async () => {
    await test.close();
    await sink.close();
  });

  it('answers an unknown address the same 202 and mails it nothing', async () => {
    const known = await signUp(test);
    const unknown = uniqueEmail('stranger');
    const a = await request(test.url)
      .post('/auth/magic-link')
      .send({ email: known.email })
      .expect(202);
    const b = await request(test.url).post('/auth/magic-link').send({ email: unknown }).expect(202);
    expect(a.body).toEqual(b.body);
    expect(await mailsTo(test, sink, unknown)).toEqual([]);
    expect((await mailsTo(test, sink, known.email)).map((mail) => mail.parsed.subject)).toContain(
      'Your Intake sign-in link',
    );
    expect(await test.prisma.accountToken.count({ where: { email: unknown } })).toBe(0);
    expect(await test.prisma.user.count({ where: { email: unknown } })).toBe(0);
  });
});
