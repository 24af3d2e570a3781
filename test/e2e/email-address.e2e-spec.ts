import { createHash } from 'node:crypto';
import request from 'supertest';
import { PASSWORD, signUp, uniqueEmail, type SignedInUser } from '../support/accounts';
import {
  lastLinkMailTo,
  linkFrom,
  linkMailsTo,
  mailsTo,
  pathOf,
  tokenAndAuditRows,
  tokenFrom,
  startMailTestApp,
  type MailTestApp,
} from '../support/mail-links';
import type { SmtpSink } from '../support/smtp-sink';
import type { TestApp } from '../support/test-app';

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const VERIFY = '/auth/email/verify';
const CONFIRM = '/auth/email/confirm';
const RESET = '/auth/password/reset';

describe('e-mail address: verification and change', () => {
  let app: MailTestApp;
  let sink: SmtpSink;
  let test: TestApp;
  let nextIp: () => string;

  beforeAll(async () => {
    app = await startMailTestApp('203.0.113', { LOGIN_MAX_FAILURES_PER_IP: '1000' });
    ({ sink, test, nextIp } = app);
  });
  afterAll(() => app.close());

  const userRow = (id: string) => test.prisma.user.findUniqueOrThrow({ where: { id } });
  const tokenRow = (token: string) =>
    test.prisma.accountToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
  const auditOf = (id: string, action: string) =>
    test.prisma.auditEvent.findMany({ where: { userId: id, action } });
  /** The button of a link's page: posts the token back, from Intake's own origin. */
  const postBack = (path: string, token: string, browser = request.agent(test.url)) =>
    browser.post(path).set('Origin', test.config.publicOrigin).type('form').send({ token });

  describe('verification', () => {
    it('mails a link at sign-up; the link verifies the address once', async () => {
      const user = await signUp(test);
      const mail = await lastLinkMailTo(test, sink, user.email, VERIFY);
      expect(mail.parsed.subject).toBe('Confirm your e-mail address for Intake');
      const token = tokenFrom(mail);
      const row = await tokenRow(token);
      expect(row).toEqual(expect.objectContaining({ userId: user.id, email: user.email }));
      expect(
        Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 24 * 3_600_000),
      ).toBeLessThan(5_000);

      // Opening it (or a mail scanner fetching it) only asks; nothing is used.
      for (let fetches = 0; fetches < 2; fetches += 1) {
        const page = await request(test.url)
          .get(pathOf(linkFrom(mail)))
          .expect(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.text).toContain(`Confirm that ${user.email} is your address for Intake?`);
        expect(page.text).toContain('<form method="post" action="/auth/email/verify">');
        expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
        expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      }
      expect((await tokenRow(token)).usedAt).toBeNull();
      expect((await userRow(user.id)).emailVerifiedAt).toBeNull();

      // Any browser may confirm (a phone's mail app): no session needed.
      const done = await postBack(VERIFY, token).expect(200);
      expect(done.text).toContain(`${user.email} is confirmed as your address.`);
      expect((await userRow(user.id)).emailVerifiedAt).not.toBeNull();
      const me = await user.agent.get('/account/sessions').expect(200);
      expect(me.body.sessions).toHaveLength(1);
      expect(await auditOf(user.id, 'user.email_verified')).toEqual([
        expect.objectContaining({ metadata: { method: 'email_verification' } }),
      ]);

      for (const again of [
        await request(test.url)
          .get(pathOf(linkFrom(mail)))
          .expect(401),
        await postBack(VERIFY, token).expect(401),
      ]) {
        expect(again.text).toContain('This link is invalid, has expired or has already been used');
      }
      expect(await tokenAndAuditRows(test)).not.toContain(token);
    });

    it('refuses an expired, tampered or missing token', async () => {
      const user = await signUp(test);
      const token = tokenFrom(await lastLinkMailTo(test, sink, user.email, VERIFY));
      await request(test.url)
        .get(VERIFY)
        .query({ token: `${token.slice(0, -2)}xx` })
        .expect(401);
      await postBack(VERIFY, `${token.slice(0, -2)}xx`).expect(401);
      await request(test.url).get(VERIFY).expect(400);
      await request(test.url)
        .post(VERIFY)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ token })
        .expect(403);
      await request(test.url)
        .get(VERIFY)
        .query({ token: '<script>alert(1)</script>' })
        .expect(401)
        .expect((response) => expect(response.text).not.toContain('<script>'));
      await test.prisma.accountToken.update({
        where: { tokenHash: sha256(token) },
        data: { expiresAt: new Date(Date.now() - 1) },
      });
      await request(test.url).get(VERIFY).query({ token }).expect(401);
      await postBack(VERIFY, token).expect(401);
      expect((await userRow(user.id)).emailVerifiedAt).toBeNull();
    });

    it('resends on request (session + CSRF), within 5 an hour, and not once verified', async () => {
      const user = await signUp(test);
      await request(test.url).post('/account/email/verification').expect(401);
      await user.agent.post('/account/email/verification').expect(403);
      for (let i = 0; i < 5; i += 1) {
        await user.agent
          .post('/account/email/verification')
          .set('X-CSRF-Token', user.csrf)
          .expect(202);
      }
      const sixth = await user.agent
        .post('/account/email/verification')
        .set('X-CSRF-Token', user.csrf)
        .expect(429);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      const links = await linkMailsTo(test, sink, user.email, VERIFY);
      expect(links).toHaveLength(6);
      await postBack(VERIFY, tokenFrom(links[0]!)).expect(200);

      const verified = await signUp(test);
      const verifiedLink = await lastLinkMailTo(test, sink, verified.email, VERIFY);
      await postBack(VERIFY, tokenFrom(verifiedLink)).expect(200);
      const conflict = await verified.agent
        .post('/account/email/verification')
        .set('X-CSRF-Token', verified.csrf)
        .expect(409);
      expect(conflict.body.error.code).toBe('conflict');
    });
  });

  describe('change', () => {
    const ask = (user: SignedInUser, email: unknown) =>
      user.agent
        .post('/account/email')
        .set('X-CSRF-Token', user.csrf)
        .set('X-Forwarded-For', nextIp())
        .send({ email });

    it('needs a recent sign-in and the CSRF token', async () => {
      const user = await signUp(test);
      await user.agent.post('/account/email').send({ email: uniqueEmail() }).expect(403);
      await test.prisma.session.updateMany({
        where: { userId: user.id },
        data: { authenticatedAt: new Date(Date.now() - 3_600_000) },
      });
      const stale = await ask(user, uniqueEmail()).expect(403);
      expect(stale.body.error.code).toBe('reauthentication_required');
      await request(test.url).post('/account/email').send({ email: uniqueEmail() }).expect(401);
    });

    it('mails the new address a link and the old one a notice; the link moves the account', async () => {
      const user = await signUp(test);
      const otherDevice = request.agent(test.url);
      await otherDevice
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      await request(test.url)
        .post('/auth/password/forgot')
        .set('X-Forwarded-For', nextIp())
        .send({ email: user.email })
        .expect(202);
      const oldReset = tokenFrom(await lastLinkMailTo(test, sink, user.email, RESET));

      const next = uniqueEmail('next');
      const response = await ask(user, next.toUpperCase()).expect(202);
      expect(response.body).toEqual({ message: expect.any(String) });
      const confirmMail = await lastLinkMailTo(test, sink, next, CONFIRM);
      expect(confirmMail.parsed.subject).toBe('Confirm your new e-mail address for Intake');
      const notice = (await mailsTo(test, sink, user.email)).find(
        (mail) => mail.parsed.subject === 'Your Intake e-mail address is about to change',
      );
      expect(notice?.parsed.text).toContain(next);
      expect(notice?.parsed.text).not.toMatch(/https?:/);
      const token = tokenFrom(confirmMail);
      expect(await tokenRow(token)).toEqual(
        expect.objectContaining({ userId: user.id, email: next, purpose: 'email_change' }),
      );
      expect((await userRow(user.id)).email).toBe(user.email);

      const page = await otherDevice.get(pathOf(linkFrom(confirmMail))).expect(200);
      expect(page.text).toContain(`Use ${next} for your Intake account from now on?`);
      expect(page.text).toContain('<form method="post" action="/auth/email/confirm">');
      expect((await tokenRow(token)).usedAt).toBeNull();
      expect((await userRow(user.id)).email).toBe(user.email);

      // Confirmed from the browser that asked: it keeps a (new) session; the others end.
      const confirmed = await postBack(CONFIRM, token, user.agent).expect(200);
      expect(confirmed.text).toContain(`Your account now uses ${next}.`);
      expect(String(confirmed.headers['set-cookie'])).toMatch(/intake_session=/);
      const sessions = await user.agent.get('/account/sessions').expect(200);
      expect(sessions.body.sessions).toHaveLength(1);
      await otherDevice.get('/account/sessions').expect(401);

      const row = await userRow(user.id);
      expect(row.email).toBe(next);
      expect(row.emailVerifiedAt).not.toBeNull();
      await request(test.url)
        .post('/auth/login')
        .send({ email: next, password: PASSWORD })
        .expect(200);
      await request(test.url)
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(401);
      // Links mailed to the old address stop working; the confirmation works once.
      await request(test.url)
        .post(RESET)
        .send({ token: oldReset, password: 'a fresh passphrase 99' })
        .expect(401);
      await request(test.url)
        .get(pathOf(linkFrom(confirmMail)))
        .expect(401);
      await postBack(CONFIRM, token).expect(401);

      const [requested, changed] = [
        await auditOf(user.id, 'user.email_change.requested'),
        await auditOf(user.id, 'user.email_changed'),
      ];
      expect(requested).toHaveLength(1);
      expect(changed).toEqual([expect.objectContaining({ metadata: { sessions_ended: 2 } })]);
      const trail = JSON.stringify(
        await test.prisma.auditEvent.findMany({ where: { userId: user.id } }),
      );
      expect(trail).not.toContain(next);
      expect(await tokenAndAuditRows(test)).not.toContain(token);
    });

    it('answers the same for a taken address, which gets a note instead of a link', async () => {
      const [user, holder] = [await signUp(test), await signUp(test)];
      const free = uniqueEmail('free');
      const a = await ask(user, free).expect(202);
      const b = await ask(user, holder.email).expect(202);
      expect(a.body).toEqual(b.body);
      const toHolder = await mailsTo(test, sink, holder.email);
      const note = toHolder.find(
        (mail) => mail.parsed.subject === 'Someone tried to move an Intake account to this address',
      );
      expect(note?.parsed.text).not.toMatch(/https?:/);
      expect(
        await test.prisma.accountToken.count({
          where: { email: holder.email, purpose: 'email_change' },
        }),
      ).toBe(0);
      // The newer request cancelled the link to the free address.
      const freeLink = await lastLinkMailTo(test, sink, free, CONFIRM);
      await request(test.url)
        .get(pathOf(linkFrom(freeLink)))
        .expect(401);
      await postBack(CONFIRM, tokenFrom(freeLink)).expect(401);
      expect((await userRow(user.id)).email).toBe(user.email);
      expect(
        (await mailsTo(test, sink, user.email)).filter(
          (mail) => mail.parsed.subject === 'Your Intake e-mail address is about to change',
        ),
      ).toHaveLength(2);
    });

    it('refuses the change when another account took the address before the confirmation', async () => {
      const user = await signUp(test);
      const next = uniqueEmail('contested');
      await ask(user, next).expect(202);
      const token = tokenFrom(await lastLinkMailTo(test, sink, next, CONFIRM));
      await signUp(test, next);
      const refused = await postBack(CONFIRM, token).expect(409);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(refused.text).toContain('Another account took this address meanwhile');
      expect((await userRow(user.id)).email).toBe(user.email);
      await user.agent.get('/account/sessions').expect(200);
    });

    it('leaves a browser signed in to another account as it was', async () => {
      const [user, other] = [await signUp(test), await signUp(test)];
      const next = uniqueEmail('moved');
      await ask(user, next).expect(202);
      const token = tokenFrom(await lastLinkMailTo(test, sink, next, CONFIRM));
      const confirmed = await postBack(CONFIRM, token, other.agent).expect(200);
      expect(confirmed.headers['set-cookie']).toBeUndefined();
      expect(confirmed.text).toContain('Sign in with your new address');
      const mine = await other.agent.get('/account/sessions').expect(200);
      expect(mine.body.sessions).toHaveLength(1);
      expect((await userRow(other.id)).email).toBe(other.email);
      expect((await userRow(user.id)).email).toBe(next);
      await user.agent.get('/account/sessions').expect(401);
    });

    it('limits changes to 5 an hour and refuses the current address', async () => {
      const user = await signUp(test);
      const same = await ask(user, user.email.toUpperCase()).expect(422);
      expect(same.body.error.details).toEqual({ email: ['is already your address'] });
      for (let i = 0; i < 5; i += 1) await ask(user, uniqueEmail()).expect(202);
      await ask(user, uniqueEmail()).expect(429);
    });

    it.each([
      ['a prototype key', '{"__proto__": {"email": "x@example.com"}, "email": "b@example.com"}'],
      ['HTML', JSON.stringify({ email: '<b onmouseover=alert(1)>x</b>@example.com' })],
      ['a huge address', JSON.stringify({ email: `${'z'.repeat(300)}@example.com` })],
      ['unicode lookalikes', JSON.stringify({ email: 'аdmin@example.com\u200b' })],
      ['a list', '{"email": ["b@example.com", "c@example.com"]}'],
      ['an extra key', '{"email": "b@example.com", "verified": true}'],
    ])('refuses %s with a 422 and mails nothing', async (_, body) => {
      const user = await signUp(test);
      const response = await user.agent
        .post('/account/email')
        .set('X-CSRF-Token', user.csrf)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(422);
      expect(response.body.error.code).toBe('validation_error');
      expect(JSON.stringify(response.body)).not.toMatch(/onmouseover|zzzz|example/);
      expect(await mailsTo(test, sink, 'b@example.com')).toEqual([]);
      expect(await auditOf(user.id, 'user.email_change.requested')).toEqual([]);
    });
  });
});
