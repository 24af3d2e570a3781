import request from 'supertest';
import { PASSWORD, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { enableTwoFactor, totpCode, type TwoFactorUser } from '../support/two-factor';

describe('TOTP two-factor authentication', () => {
  let test: TestApp;

  beforeAll(async () => {
    // Generous per-IP budgets: the per-account limit is what these tests meet, and the file
    // signs up many accounts from one address.
    test = await startTestApp({
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000',
    });
  });
  afterAll(() => test.close());

  const login = (user: SignedInUser, body: Record<string, unknown> = {}) =>
    request
      .agent(test.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD, ...body });

  /** A new browser that has passed the password step and owes a code. */
  async function pendingBrowser(user: SignedInUser) {
    const agent = request.agent(test.url);
    const response = await agent
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(401);
    expect(response.body.error.code).toBe('totp_required');
    return agent;
  }

  async function userRow(id: string) {
    return test.prisma.user.findUniqueOrThrow({ where: { id } });
  }

  describe('enrolment', () => {
    it('returns the secret, its otpauth URI and a locally drawn PNG QR code', async () => {
      const user = await signUp(test);
      const response = await user.agent
        .post('/account/2fa/setup')
        .set('X-CSRF-Token', user.csrf)
        .expect(200);
      const { secret, otpauth_uri, qr_code } = response.body;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauth_uri).toBe(
        `otpauth://totp/Intake:${encodeURIComponent(user.email)}?secret=${secret}&issuer=Intake`,
      );
      expect(qr_code).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    });

    it('is not active until a valid code confirms it', async () => {
      const user = await signUp(test);
      const { body } = await user.agent
        .post('/account/2fa/setup')
        .set('X-CSRF-Token', user.csrf)
        .expect(200);
      await login(user).expect(200);
      const wrong = await user.agent
        .post('/account/2fa/confirm')
        .set('X-CSRF-Token', user.csrf)
        .send({ code: totpCode(body.secret, 5) })
        .expect(422);
      expect(wrong.body.error.details).toEqual({ code: ['is incorrect or expired'] });
      await login(user).expect(200);
      expect((await userRow(user.id)).totpEnabledAt).toBeNull();
    });

    it('turns on with a valid code, answers 10 backup codes once and rotates the session', async () => {
      const user = await signUp(test);
      const oldCookie = (await user.agent.get('/auth/csrf')).request.cookies;
      const enrolled = await enableTwoFactor(user);
      expect(enrolled.backupCodes).toHaveLength(10);
      expect(new Set(enrolled.backupCodes).size).toBe(10);
      for (const code of enrolled.backupCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(enrolled.csrf).not.toBe(user.csrf);
      // The pre-enrolment session is gone; the rotated one works.
      await request(test.url).get('/account/sessions').set('Cookie', oldCookie).expect(401);
      await enrolled.agent.get('/account/sessions').expect(200);
      // A second setup is refused while 2FA is on.
      await enrolled.agent
        .post('/account/2fa/setup')
        .set('X-CSRF-Token', enrolled.csrf)
        .expect(409);
    });
  });

  describe('signing in', () => {
    let user: TwoFactorUser;

    beforeEach(async () => {
      user = await enableTwoFactor(await signUp(test));
    });

    it('asks for the code after a right password, without starting a session', async () => {
      const agent = await pendingBrowser(user);
      await agent.get('/account/sessions').expect(401);
      // A wrong password still answers the plain 401: totp_required proves the password.
      const wrong = await request(test.url)
        .post('/auth/login')
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      expect(wrong.body.error.code).toBe('unauthorized');
    });

    it('completes with the code through POST /auth/2fa, in a new session', async () => {
      const agent = await pendingBrowser(user);
      const response = await agent
        .post('/auth/2fa')
        .send({ code: totpCode(user.secret, 1) })
        .expect(200);
      expect(response.body.user.email).toBe(user.email);
      const sessions = (await agent.get('/account/sessions').expect(200)).body.sessions;
      expect(sessions).toHaveLength(2);
      // The pending cookie is spent with the sign-in.
      await agent
        .post('/auth/2fa')
        .send({ code: totpCode(user.secret, 1) })
        .expect(401);
    });

    it('takes the code in the login request itself', async () => {
      await login(user, { code: totpCode(user.secret, 1) }).expect(200);
    });

    it('refuses a replayed code (the step confirm used), codes two steps away and garbage', async () => {
      for (const code of [
        totpCode(user.secret),
        totpCode(user.secret, -2),
        totpCode(user.secret, 3),
        '000000',
      ]) {
        const response = await login(user, { code }).expect(401);
        expect(response.body.error.code).toBe('unauthorized');
      }
    });

    it('accepts one step of clock drift, once', async () => {
      const code = totpCode(user.secret, 1);
      await login(user, { code }).expect(200);
      await login(user, { code }).expect(401);
    });

    it('lets exactly one of two concurrent sign-ins with the same code through', async () => {
      const code = totpCode(user.secret, 1);
      const statuses = (await Promise.all([login(user, { code }), login(user, { code })])).map(
        (response) => response.status,
      );
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it('accepts each backup code once, typed loosely', async () => {
      const [first, second] = user.backupCodes as [string, string];
      await login(user, { code: first.toUpperCase().replace('-', ' ') }).expect(200);
      await login(user, { code: first }).expect(401);
      const agent = await pendingBrowser(user);
      await agent.post('/auth/2fa').send({ code: second }).expect(200);
      const used = await test.prisma.auditEvent.count({
        where: { userId: user.id, action: 'user.backup_code.used' },
      });
      expect(used).toBe(2);
    });

    it('refuses a pending cookie that was tampered with, or none at all', async () => {
      const agent = await pendingBrowser(user);
      await request(test.url)
        .post('/auth/2fa')
        .send({ code: totpCode(user.secret, 1) })
        .expect(401);
      const cookies = (await agent.get('/healthz')).request.cookies;
      // One character changed (to another one: a fixed replacement is sometimes the same).
      const tampered = cookies.replace(
        /(intake_2fa=[^;]{20})(.)/,
        (_, kept: string, old: string) => `${kept}${old === 'A' ? 'B' : 'A'}`,
      );
      expect(tampered).not.toBe(cookies);
      await request(test.url)
        .post('/auth/2fa')
        .set('Cookie', tampered)
        .send({ code: totpCode(user.secret, 1) })
        .expect(401);
    });

    it('limits failed codes per account (429), even for a right code afterwards', async () => {
      const agent = await pendingBrowser(user);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await agent.post('/auth/2fa').send({ code: '123456' }).expect(401);
      }
      const limited = await agent
        .post('/auth/2fa')
        .send({ code: totpCode(user.secret, 1) })
        .expect(429);
      expect(limited.body.error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The limit is the account's, not this browser's.
      await login(user, { code: totpCode(user.secret, 1) }).expect(429);
      expect(
        await test.prisma.auditEvent.count({
          where: { userId: user.id, action: 'user.totp.failed' },
        }),
      ).toBe(5);
    });

    it('refuses malformed, wrong-type and hostile codes with a clear 422', async () => {
      const agent = await pendingBrowser(user);
      for (const body of [
        { code: 123456 },
        { code: '' },
        { code: 'x'.repeat(10_000) },
        { code: ['123456'] },
        JSON.parse('{"code":"123456","__proto__":{"admin":true}}') as object,
        { code: '123456', extra: '<script>alert(1)</script>' },
      ]) {
        const response = await agent.post('/auth/2fa').send(body).expect(422);
        expect(response.body.error.code).toBe('validation_error');
      }
      // Unicode digits are not digits here: a plain refusal, not a crash.
      await agent.post('/auth/2fa').send({ code: '١٢٣٤٥٦' }).expect(401);
    });
  });

  describe('managing', () => {
    it('regenerates backup codes: the old set stops working', async () => {
      const user = await enableTwoFactor(await signUp(test));
      const response = await user.agent
        .post('/account/2fa/backup-codes')
        .set('X-CSRF-Token', user.csrf)
        .send({ code: totpCode(user.secret, 1) })
        .expect(200);
      const fresh = response.body.backup_codes as string[];
      expect(fresh).toHaveLength(10);
      expect(fresh.filter((code) => user.backupCodes.includes(code))).toEqual([]);
      await login(user, { code: user.backupCodes[0] }).expect(401);
      await login(user, { code: fresh[0] }).expect(200);
    });

    it('disables only with the password and a code, then sign-in needs no code', async () => {
      const user = await enableTwoFactor(await signUp(test));
      const post = (body: object) =>
        user.agent.post('/account/2fa/disable').set('X-CSRF-Token', user.csrf).send(body);
      expect(
        (await post({ code: totpCode(user.secret, 1) }).expect(422)).body.error.details,
      ).toEqual({
        password: ['is required'],
      });
      expect(
        (await post({ password: 'wrong password', code: totpCode(user.secret, 1) }).expect(422))
          .body.error.details,
      ).toEqual({ password: ['is incorrect'] });
      await post({ password: PASSWORD, code: '654321' }).expect(422);
      const done = await post({ password: PASSWORD, code: totpCode(user.secret, 1) }).expect(200);
      expect(done.body.csrf_token).toEqual(expect.any(String));
      await login(user).expect(200);
      const row = await userRow(user.id);
      expect([row.totpSecret, row.totpEnabledAt, row.backupCodes]).toEqual([null, null, null]);
    });
  });

  describe('re-authentication for sensitive actions', () => {
    async function ageSession(user: SignedInUser): Promise<void> {
      await test.prisma.session.updateMany({
        where: { userId: user.id },
        data: { authenticatedAt: new Date(Date.now() - 11 * 60_000) },
      });
    }

    it('refuses an API key, 2FA changes and a first password from a session signed in long ago', async () => {
      const user = await signUp(test);
      await ageSession(user);
      for (const [path, body] of [
        ['/account/api-keys', { name: 'k' }],
        ['/account/2fa/setup', {}],
      ] as const) {
        const response = await user.agent.post(path).set('X-CSRF-Token', user.csrf).send(body);
        expect([path, response.status, response.body.error.code]).toEqual([
          path,
          403,
          'reauthentication_required',
        ]);
      }
    });

    it('opens the window again with the password', async () => {
      const user = await signUp(test);
      await ageSession(user);
      const wrong = await user.agent
        .post('/auth/reauthenticate')
        .set('X-CSRF-Token', user.csrf)
        .send({ password: 'wrong password' })
        .expect(422);
      expect(wrong.body.error.details).toEqual({ password: ['is incorrect'] });
      await user.agent
        .post('/auth/reauthenticate')
        .set('X-CSRF-Token', user.csrf)
        .send({ password: PASSWORD })
        .expect(200);
      await user.agent
        .post('/account/api-keys')
        .set('X-CSRF-Token', user.csrf)
        .send({ name: 'k' })
        .expect(201);
    });

    it('opens the window again with a 2FA code, and needs exactly one proof', async () => {
      const user = await enableTwoFactor(await signUp(test));
      await ageSession(user);
      const reauth = (body: object) =>
        user.agent.post('/auth/reauthenticate').set('X-CSRF-Token', user.csrf).send(body);
      await reauth({}).expect(422);
      await reauth({ password: PASSWORD, code: totpCode(user.secret, 1) }).expect(422);
      await reauth({ code: totpCode(user.secret, 1) }).expect(200);
      await user.agent
        .post('/account/2fa/backup-codes')
        .set('X-CSRF-Token', user.csrf)
        .send({ code: user.backupCodes[0] })
        .expect(200);
    });

    it('needs the CSRF token like every other cookie POST', async () => {
      const user = await signUp(test);
      await user.agent.post('/auth/reauthenticate').send({ password: PASSWORD }).expect(403);
    });
  });

  it('keeps the seed and the backup codes only encrypted, and out of the audit trail', async () => {
    const user = await enableTwoFactor(await signUp(test));
    const row = await userRow(user.id);
    const stored = JSON.stringify(row);
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.backupCodes).toMatch(/^v1\./);
    expect(stored).not.toContain(user.secret);
    for (const code of user.backupCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    const audit = JSON.stringify(
      await test.prisma.auditEvent.findMany({ where: { userId: user.id } }),
    );
    expect(audit).toContain('user.totp.enabled');
    expect(audit).not.toContain(user.secret);
    for (const code of user.backupCodes) expect(audit).not.toContain(code.replace('-', ''));
  });
});
