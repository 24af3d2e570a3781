import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { BROWSER_PATHS, type SocialProvider } from '@intake/auth';
import { uniqueEmail } from '../support/accounts';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google';
import { callbackUrl, PUBLIC_URL, SocialBrowser } from '../support/social-browser';
import { startTestApp, type TestApp } from '../support/test-app';
import { totpCode } from '../support/two-factor';
import { databaseDump } from '../support/database-dump';

const GOOGLE_SECRET = `google-secret-${randomBytes(16).toString('hex')}`;
const GITHUB_SECRET = `github-secret-${randomBytes(16).toString('hex')}`;
const SESSION_COOKIE = 'intake_session';
const stateCookie = (provider: SocialProvider) => `intake_oauth_${provider}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Each browser gets its own IP, so the per-IP sign-in budget meets only the test about it. */
let lastIp = 0;
const nextIp = () => `203.0.113.${(lastIp += 1)}`;

describe('Google and GitHub sign-in', () => {
  let google: FakeGoogle;
  let github: FakeGitHub;
  let test: TestApp;

  beforeAll(async () => {
    google = await startFakeGoogle({
      clientId: 'intake-google',
      clientSecret: GOOGLE_SECRET,
      redirectUri: callbackUrl('google'),
    });
    github = await startFakeGitHub({ clientId: 'intake-github', clientSecret: GITHUB_SECRET });
    test = await startTestApp({
      PUBLIC_URL,
      TRUST_PROXY: 'loopback',
      ...google.env,
      ...github.env,
    });
  });
  afterAll(async () => {
    await test?.close();
    await google?.close();
    await github?.close();
  });

  const browser = () => new SocialBrowser(test, nextIp());
  const signedIn = async (b: SocialBrowser) =>
    (await b.request('/account/sessions')).status === 200;
  const landing = (response: Response) => response.headers.get('location');

  /** A Google account the fake signs in as next. */
  async function googleAccount(overrides: { email?: string; email_verified?: boolean } = {}) {
    const account = {
      sub: `g-${randomBytes(6).toString('hex')}`,
      email: uniqueEmail('google'),
      email_verified: true,
      ...overrides,
    };
    await google.nextLogin(account);
    return account;
  }

  /** A GitHub account the fake signs in as next, with one verified primary address. */
  function githubAccount(email = uniqueEmail('github'), verified = true) {
    const user = {
      id: Math.floor(Math.random() * 1e9) + 1,
      login: `user${randomBytes(3).toString('hex')}`,
    };
    github.user = user;
    github.emails = [{ email, primary: true, verified }];
    return { ...user, email };
  }

  describe('a new address', () => {
    it('creates a verified, password-less account from Google and signs in', async () => {
      const account = await googleAccount();
      const b = browser();
      const { start, callback } = await b.authorize('google');
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.origin).toBe(google.url);
      expect(authorize.searchParams.get('scope')).toBe('openid email');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(authorize.searchParams.get('redirect_uri')).toBe(callbackUrl('google'));
      expect(start.headers.get('set-cookie')).toMatch(
        /^intake_oauth_google=v1\.[^;]+; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
      );

      const response = await b.request(callback);
      expect(response.status).toBe(303);
      expect(landing(response)).toBe(BROWSER_PATHS.dashboard);
      expect(b.cookie(SESSION_COOKIE)).toBeDefined();
      expect(b.cookie(stateCookie('google'))).toBeUndefined();
      expect(await signedIn(b)).toBe(true);

      const user = await test.prisma.user.findUniqueOrThrow({
        where: { email: account.email },
        include: { identities: true },
      });
      expect(user.passwordHash).toBeNull();
      expect(user.emailVerifiedAt).not.toBeNull();
      expect(user.identities).toEqual([
        expect.objectContaining({
          provider: 'google',
          subject: account.sub,
          email: account.email,
          lastUsedAt: expect.any(Date),
        }),
      ]);
      const events = await test.prisma.auditEvent.findMany({
        where: { userId: user.id },
        orderBy: { createdAt: 'asc' },
      });
      expect(events.map((event) => [event.action, event.metadata])).toEqual([
        ['user.signup', { method: 'google' }],
        ['identity.linked', { provider: 'google', via: 'sign_up' }],
        ['user.login.succeeded', { method: 'google', second_factor: false }],
      ]);
    });

    it('creates a verified, password-less account from GitHub, with PKCE and the primary address', async () => {
      const account = githubAccount();
      const b = browser();
      const response = await b.signInWith('github');
      expect(landing(response)).toBe(BROWSER_PATHS.dashboard);
      expect(await signedIn(b)).toBe(true);

      const seen = github.authorizations.at(-1)!;
      expect(seen).toEqual({
        clientId: 'intake-github',
        redirectUri: callbackUrl('github'),
        scope: 'user:email',
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        codeChallenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        codeChallengeMethod: 'S256',
      });
      const exchange = github.exchanges.at(-1)!;
      expect(exchange.error).toBeNull();
      expect(sha256(exchange.codeVerifier!)).toBe(seen.codeChallenge);

      const user = await test.prisma.user.findUniqueOrThrow({
        where: { email: account.email },
        include: { identities: true },
      });
      expect(user.passwordHash).toBeNull();
      expect(user.emailVerifiedAt).not.toBeNull();
      expect(user.identities).toEqual([
        expect.objectContaining({
          provider: 'github',
          subject: String(account.id),
          email: account.email,
        }),
      ]);
    });

    it('signs the same provider account in again, whatever address it shows now', async () => {
      const account = githubAccount();
      await browser().signInWith('github');
      const before = await test.prisma.identity.findFirstOrThrow({
        where: { provider: 'github', subject: String(account.id) },
      });
      github.emails = [{ email: uniqueEmail('renamed'), primary: true, verified: true }];
      const b = browser();
      expect(landing(await b.signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
      const after = await test.prisma.identity.findUniqueOrThrow({ where: { id: before.id } });
      expect(after.userId).toBe(before.userId);
      expect(after.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before.lastUsedAt!.getTime());
      expect(await test.prisma.user.count({ where: { id: before.userId } })).toBe(1);
      expect(await test.prisma.user.count({ where: { email: github.emails[0]!.email } })).toBe(0);
      // Both browsers are signed in to the one account.
      const sessions = await b.json<{ sessions: unknown[] }>('GET', '/account/sessions');
      expect(sessions.body.sessions).toHaveLength(2);
    });
  });

  describe('verified addresses only', () => {
    it('refuses a Google address Google has not verified, and makes no account', async () => {
      const account = await googleAccount({ email_verified: false });
      const b = browser();
      const response = await b.signInWith('google');
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=email_unverified`);
      expect(await signedIn(b)).toBe(false);
      expect(await test.prisma.user.count({ where: { email: account.email } })).toBe(0);
      expect(
        await test.prisma.identity.count({ where: { provider: 'google', subject: account.sub } }),
      ).toBe(0);
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: {
          action: 'user.login.failed',
          metadata: { equals: { method: 'google', reason: 'email_unverified' } },
        },
      });
      expect(failed.userId).toBeNull();
    });

    it('takes only a verified primary GitHub address: an unverified primary is refused, even beside a verified secondary', async () => {
      const [primary, secondary] = [uniqueEmail('primary'), uniqueEmail('secondary')];
      githubAccount();
      github.emails = [
        { email: secondary, primary: false, verified: true },
        { email: primary, primary: true, verified: false },
      ];
      const b = browser();
      expect(landing(await b.signInWith('github'))).toBe(
        `${BROWSER_PATHS.signIn}?error=email_unverified`,
      );
      expect(await signedIn(b)).toBe(false);
      expect(await test.prisma.user.count({ where: { email: { in: [primary, secondary] } } })).toBe(
        0,
      );
    });

    it('refuses a GitHub account with no primary address', async () => {
      githubAccount();
      github.emails = [{ email: uniqueEmail(), primary: false, verified: true }];
      expect(landing(await browser().signInWith('github'))).toBe(
        `${BROWSER_PATHS.signIn}?error=email_unverified`,
      );
    });
  });

  describe('an address that has an Intake account', () => {
    it('links and signs in when Intake has verified the address too', async () => {
      const owner = browser();
      const { id, email } = await owner.signUp();
      await test.prisma.user.update({ where: { id }, data: { emailVerifiedAt: new Date() } });
      const account = await googleAccount({ email });
      const b = browser();
      expect(landing(await b.signInWith('google'))).toBe(BROWSER_PATHS.dashboard);
      const sessions = await b.json<{ sessions: unknown[] }>('GET', '/account/sessions');
      expect(sessions.body.sessions).toHaveLength(2);
      const user = await test.prisma.user.findUniqueOrThrow({
        where: { id },
        include: { identities: true },
      });
      expect(user.passwordHash).not.toBeNull();
      expect(user.identities).toEqual([
        expect.objectContaining({ provider: 'google', subject: account.sub }),
      ]);
      const linked = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: id, action: 'identity.linked' },
      });
      expect(linked.metadata).toEqual({ provider: 'google', via: 'sign_in' });
    });

    it('refuses, and links nothing, when the Intake account never verified the address', async () => {
      const owner = browser();
      const { id, email } = await owner.signUp();
      githubAccount(email);
      const b = browser();
      const response = await b.signInWith('github');
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=account_exists_unverified`);
      expect(b.cookie(SESSION_COOKIE)).toBeUndefined();
      expect(await signedIn(b)).toBe(false);
      expect(await test.prisma.identity.count({ where: { userId: id } })).toBe(0);
      // The owner sees the attempt in their trail.
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: id, action: 'user.login.failed' },
      });
      expect(failed.metadata).toEqual({ method: 'github', reason: 'account_exists_unverified' });
    });

    it('does not link to an account with 2FA on before its code: the owner links from settings', async () => {
      const owner = browser();
      const { id, email } = await owner.signUp();
      await test.prisma.user.update({ where: { id }, data: { emailVerifiedAt: new Date() } });
      const setup = await owner.json<{ secret: string }>('POST', '/account/2fa/setup');
      await owner.json('POST', '/account/2fa/confirm', { code: totpCode(setup.body.secret) });
      await googleAccount({ email });
      const b = browser();
      expect(landing(await b.signInWith('google'))).toBe(
        `${BROWSER_PATHS.signIn}?error=link_from_settings`,
      );
      expect(b.cookie('intake_2fa')).toBeUndefined();
      expect(await signedIn(b)).toBe(false);
      expect(await test.prisma.identity.count({ where: { userId: id } })).toBe(0);
    });

    it('refuses when the account is linked to another account of the same provider', async () => {
      const email = uniqueEmail('twice');
      githubAccount(email);
      await browser().signInWith('github');
      githubAccount(email);
      const b = browser();
      expect(landing(await b.signInWith('github'))).toBe(
        `${BROWSER_PATHS.signIn}?error=provider_already_linked`,
      );
      expect(await signedIn(b)).toBe(false);
      expect(await test.prisma.identity.count({ where: { email } })).toBe(1);
    });
  });

  describe('two-factor accounts', () => {
    it('owe a code after the provider: no session until POST /auth/2fa', async () => {
      const account = githubAccount();
      const first = browser();
      await first.signInWith('github');
      await first.refreshCsrf();
      const setup = await first.json<{ secret: string }>('POST', '/account/2fa/setup');
      expect(setup.status).toBe(200);
      const confirm = await first.json<{ csrf_token: string }>('POST', '/account/2fa/confirm', {
        code: totpCode(setup.body.secret),
      });
      expect(confirm.status).toBe(200);

      githubAccount(account.email);
      github.user = { id: account.id, login: account.login };
      const b = browser();
      const response = await b.signInWith('github');
      expect(landing(response)).toBe(BROWSER_PATHS.twoFactor);
      expect(b.cookie(SESSION_COOKIE)).toBeUndefined();
      expect(b.cookie('intake_2fa')).toBeDefined();
      expect(await signedIn(b)).toBe(false);
      const completed = await b.json<{ csrf_token: string }>('POST', '/auth/2fa', {
        code: totpCode(setup.body.secret, 1),
      });
      expect(completed.status).toBe(200);
      expect(await signedIn(b)).toBe(true);
      const user = await test.prisma.user.findUniqueOrThrow({ where: { email: account.email } });
      const succeeded = await test.prisma.auditEvent.findMany({
        where: { userId: user.id, action: 'user.login.succeeded' },
        orderBy: { createdAt: 'asc' },
      });
      expect(succeeded.at(-1)?.metadata).toEqual({ method: 'github', second_factor: true });
    });
  });

  describe('state and PKCE', () => {
    const noSessionAfter = async (b: SocialBrowser, response: Response, reason: string) => {
      expect(response.status).toBe(303);
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=${reason}`);
      expect(b.cookie(SESSION_COOKIE)).toBeUndefined();
      expect(await signedIn(b)).toBe(false);
    };
    const callbackWith = (callback: string, changes: Record<string, string | null>) => {
      const url = new URL(callback, PUBLIC_URL);
      for (const [name, value] of Object.entries(changes)) {
        if (value === null) url.searchParams.delete(name);
        else url.searchParams.set(name, value);
      }
      return `${url.pathname}${url.search}`;
    };

    it.each(['google', 'github'] as const)(
      '%s: refuses a code injected into another browser’s flow (PKCE), and burns it',
      async (provider) => {
        if (provider === 'google') await googleAccount();
        else githubAccount();
        const victim = browser();
        const attacker = browser();
        const { callback: victims } = await victim.authorize(provider);
        if (provider === 'google') await googleAccount();
        const { callback: attackers } = await attacker.authorize(provider);
        const planted = callbackWith(victims, {
          code: new URL(attackers, PUBLIC_URL).searchParams.get('code'),
        });
        const before = await test.prisma.user.count();
        await noSessionAfter(victim, await victim.request(planted), 'provider_error');
        expect(await test.prisma.user.count()).toBe(before);
        if (provider === 'github') {
          expect(github.exchanges.at(-1)?.error).toBe('bad_verification_code');
        }
      },
    );

    it('refuses a callback without state, or with another state than this browser’s', async () => {
      githubAccount();
      const b = browser();
      const { callback } = await b.authorize('github');
      await noSessionAfter(
        b,
        await b.request(callbackWith(callback, { state: null })),
        'invalid_request',
      );
      const other = browser();
      const { callback: another } = await other.authorize('github');
      const theirs = new URL(another, PUBLIC_URL).searchParams.get('state');
      const mine = browser();
      await mine.authorize('github');
      await noSessionAfter(
        mine,
        await mine.request(callbackWith(callback, { state: theirs })),
        'invalid_state',
      );
    });

    it('refuses a callback in a browser that did not start it (login CSRF)', async () => {
      githubAccount();
      const { callback } = await browser().authorize('github');
      const victim = browser();
      await noSessionAfter(victim, await victim.request(callback), 'invalid_state');
    });

    it('works once: a replay fails, even with a copy of the old state cookie', async () => {
      githubAccount();
      const b = browser();
      const { callback } = await b.authorize('github');
      const copied = b.cookie(stateCookie('github'))!;
      expect(landing(await b.request(callback))).toBe(BROWSER_PATHS.dashboard);
      const replayer = browser();
      await noSessionAfter(replayer, await replayer.request(callback), 'invalid_state');
      replayer.setCookie(stateCookie('github'), copied);
      await noSessionAfter(replayer, await replayer.request(callback), 'invalid_state');
    });

    it('refuses a tampered state cookie, and one made for the other provider', async () => {
      githubAccount();
      const b = browser();
      const { callback } = await b.authorize('github');
      const sealed = b.cookie(stateCookie('github'))!;
      b.setCookie(
        stateCookie('github'),
        `${sealed.slice(0, -3)}${sealed.endsWith('AAA') ? 'BBB' : 'AAA'}`,
      );
      await noSessionAfter(b, await b.request(callback), 'invalid_state');

      await googleAccount();
      const c = browser();
      const { callback: googles } = await c.authorize('google');
      githubAccount();
      const d = browser();
      const { callback: githubs } = await d.authorize('github');
      c.setCookie(stateCookie('google'), d.cookie(stateCookie('github'))!);
      const crossed = callbackWith(googles, {
        state: new URL(githubs, PUBLIC_URL).searchParams.get('state'),
      });
      await noSessionAfter(c, await c.request(crossed), 'invalid_state');
    });

    it('ends the flow when the person declines at the provider', async () => {
      await google.denyNextLogin();
      const b = browser();
      await noSessionAfter(b, await b.signInWith('google'), 'provider_denied');
      expect(b.cookie(stateCookie('google'))).toBeUndefined();
      github.deny = true;
      try {
        await noSessionAfter(b, await b.signInWith('github'), 'provider_denied');
      } finally {
        github.deny = false;
      }
      const failed = await test.prisma.auditEvent.findMany({
        where: { action: 'user.login.failed', ip: b.ip },
      });
      expect(failed.map((event) => event.metadata)).toEqual([
        { method: 'google', reason: 'provider_denied' },
        { method: 'github', reason: 'provider_denied' },
      ]);
    });
  });

  describe('hostile input', () => {
    const counts = async () => [
      await test.prisma.user.count(),
      await test.prisma.identity.count(),
      await test.prisma.session.count(),
    ];

    it.each([
      [
        'a huge code',
        'invalid_request',
        (code: string) => ({ code: `${code}${'A'.repeat(8000)}` }),
      ],
      ['a unicode code', 'invalid_request', () => ({ code: 'cödé-ünïcode' })],
      ['a control character', 'invalid_request', (code: string) => ({ code: `${code}\u0000` })],
      ['a prototype key', 'invalid_request', () => Object.fromEntries([['__proto__', 'polluted']])],
      ['a constructor path', 'invalid_request', () => ({ 'constructor[prototype][admin]': '1' })],
      ['HTML as the state', 'invalid_state', () => ({ state: '<script>alert(1)</script>' })],
      // Printable, so it goes to the provider, which refuses it.
      ['HTML as the code', 'provider_error', () => ({ code: '<script>alert(1)</script>' })],
    ])('refuses %s in the callback query, and stores nothing', async (_, reason, change) => {
      githubAccount();
      const b = browser();
      const { callback } = await b.authorize('github');
      const url = new URL(callback, PUBLIC_URL);
      for (const [name, value] of Object.entries(change(url.searchParams.get('code')!))) {
        url.searchParams.set(name, value);
      }
      const before = await counts();
      const response = await b.request(`${url.pathname}${url.search}`);
      expect(response.status).toBe(303);
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=${reason}`);
      expect(b.cookie(stateCookie('github'))).toBeUndefined();
      expect(await signedIn(b)).toBe(false);
      expect(await counts()).toEqual(before);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('refuses a repeated code or state', async () => {
      githubAccount();
      const b = browser();
      const { callback } = await b.authorize('github');
      const code = new URL(callback, PUBLIC_URL).searchParams.get('code');
      const response = await b.request(`${callback}&code=${code}`);
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=invalid_request`);
    });

    it.each([
      [
        'HTML as the address',
        [{ email: '<img src=x onerror=alert(1)>@example.com', primary: true, verified: true }],
      ],
      [
        'an oversized address',
        [{ email: `${'a'.repeat(300)}@example.com`, primary: true, verified: true }],
      ],
      [
        'a unicode trick in the address',
        [{ email: 'ad\u202emin@example.com', primary: true, verified: true }],
      ],
      ['a body that is not JSON', '<html>502 Bad Gateway</html>'],
      ['a prototype key instead of a list', '{"__proto__": {"admin": true}}'],
      ['a list of the wrong shape', '[{"email": 42, "primary": "yes"}]'],
    ])(
      'ends with provider_error on a GitHub profile with %s, and stores nothing',
      async (_, emails) => {
        githubAccount();
        github.user = { id: 4242, login: '<script>alert(1)</script>', name: '<b>Mallory</b>' };
        github.emails = emails;
        const before = await counts();
        const b = browser();
        const response = await b.signInWith('github');
        expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=provider_error`);
        expect(await counts()).toEqual(before);
        expect(await signedIn(b)).toBe(false);
        // The api is still up after a malformed provider answer.
        await request(test.url).get('/healthz').expect(200);
      },
    );
  });

  describe('limits', () => {
    it('takes a point of the per-IP sign-in budget per callback, and gives it back on success', async () => {
      const b = browser();
      for (let i = 0; i < 7; i += 1) {
        githubAccount();
        const sameIp = new SocialBrowser(test, b.ip);
        expect(landing(await sameIp.signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
      }
      for (let i = 0; i < 5; i += 1) {
        const response = await b.request('/auth/github/callback?code=x&state=y');
        expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=invalid_state`);
      }
      githubAccount();
      const exchanges = github.exchanges.length;
      const limited = await b.signInWith('github');
      expect(landing(limited)).toBe(`${BROWSER_PATHS.signIn}?error=rate_limited`);
      expect(await signedIn(b)).toBe(false);
      // Refused before the code was exchanged.
      expect(github.exchanges).toHaveLength(exchanges);
      // Password sign-ins from that IP share the budget.
      const login = await request(test.url)
        .post('/auth/login')
        .set('X-Forwarded-For', b.ip)
        .send({ email: uniqueEmail(), password: 'whatever it is' });
      expect(login.status).toBe(429);
      // Another IP is not concerned.
      githubAccount();
      expect(landing(await browser().signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
    });
  });

  it('stores no provider token, client secret or code', async () => {
    githubAccount();
    const b = browser();
    const { callback } = await b.authorize('github');
    await b.request(callback);
    await googleAccount();
    const { callback: googles } = await browser().authorize('google');
    await browser().request(googles);
    const codes = [callback, googles].map((path) =>
      new URL(path, PUBLIC_URL).searchParams.get('code')!,
    );
    const secrets = [
      ...github.issuedTokens,
      ...(await google.issued()),
      ...codes,
      GOOGLE_SECRET,
      GITHUB_SECRET,
    ];
    expect(secrets.length).toBeGreaterThan(5);
    const everything = await databaseDump((sql) => test.prisma.$queryRawUnsafe(sql));
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('providers that are not configured', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it.each([
    '/auth/google',
    '/auth/google/callback?code=a&state=b',
    '/auth/github',
    '/auth/github/callback',
  ])('answer 404 not_found at %s', async (path) => {
    const response = await request(test.url).get(path).expect(404);
    expect(response.body.error.code).toBe('not_found');
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
