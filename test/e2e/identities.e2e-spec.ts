import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { BROWSER_PATHS } from '@intake/auth';
import { uniqueEmail } from '../support/accounts';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google';
import { callbackUrl, PUBLIC_URL, SocialBrowser } from '../support/social-browser';
import { startTestApp, type TestApp } from '../support/test-app';

interface IdentityBody {
  provider: string;
  email: string;
  created_at: string;
  last_used_at: string | null;
}

let lastIp = 0;
const nextIp = () => `198.18.0.${(lastIp += 1)}`;

describe('linked identities', () => {
  let google: FakeGoogle;
  let github: FakeGitHub;
  let test: TestApp;

  beforeAll(async () => {
    google = await startFakeGoogle({
      clientId: 'intake-google',
      clientSecret: `google-${randomBytes(8).toString('hex')}`,
      redirectUri: callbackUrl('google'),
    });
    github = await startFakeGitHub({
      clientId: 'intake-github',
      clientSecret: `github-${randomBytes(8).toString('hex')}`,
    });
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
  const landing = (response: Response) => response.headers.get('location');

  function nextGitHubUser(email = uniqueEmail('github')) {
    github.user = { id: Math.floor(Math.random() * 1e9) + 1, login: 'someone' };
    github.emails = [{ email, primary: true, verified: true }];
    return { id: String(github.user.id), email };
  }

  async function nextGoogleUser(email = uniqueEmail('google')) {
    const sub = `g-${randomBytes(6).toString('hex')}`;
    await google.nextLogin({ sub, email, email_verified: true });
    return { sub, email };
  }

  /** A password-less account, made by its first GitHub sign-in in a fresh browser. */
  async function gitHubOnlyOwner() {
    const github = nextGitHubUser();
    const b = browser();
    expect(landing(await b.signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
    await b.refreshCsrf();
    const user = await test.prisma.user.findUniqueOrThrow({ where: { email: github.email } });
    return { browser: b, id: user.id, github };
  }

  const identitiesOf = async (b: SocialBrowser) => {
    const { status, body } = await b.json<{ identities: IdentityBody[] }>(
      'GET',
      '/account/identities',
    );
    expect(status).toBe(200);
    return body.identities;
  };

  describe('linking from settings', () => {
    it('links the provider account to the signed-in account, which keeps its session', async () => {
      const b = browser();
      const { id } = await b.signUp();
      const sessionCookie = b.cookie('intake_session');
      const linked = nextGitHubUser();
      const response = await b.signInWith('github');
      expect(response.status).toBe(303);
      expect(landing(response)).toBe(`${BROWSER_PATHS.dashboard}?linked=github`);
      expect(b.cookie('intake_session')).toBe(sessionCookie);
      expect(await identitiesOf(b)).toEqual([
        {
          provider: 'github',
          email: linked.email,
          created_at: expect.any(String),
          last_used_at: null,
        },
      ]);
      const event = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: id, action: 'identity.linked' },
      });
      expect(event.metadata).toEqual({ provider: 'github', via: 'settings' });

      // From now on it signs in to this account, from any browser.
      const elsewhere = browser();
      expect(landing(await elsewhere.signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
      await elsewhere.refreshCsrf();
      const me = await test.prisma.session.findMany({ where: { userId: id, revokedAt: null } });
      expect(me).toHaveLength(2);
      const [identity] = await identitiesOf(elsewhere);
      expect(identity?.last_used_at).not.toBeNull();
    });

    it('needs a recent sign-in: an old session links nothing', async () => {
      const b = browser();
      const { id } = await b.signUp();
      await test.prisma.session.updateMany({
        where: { userId: id },
        data: { authenticatedAt: new Date(Date.now() - 60 * 60_000) },
      });
      nextGitHubUser();
      const response = await b.signInWith('github');
      expect(landing(response)).toBe(`${BROWSER_PATHS.dashboard}?error=reauthentication_required`);
      expect(await identitiesOf(b)).toEqual([]);
      const failed = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: id, action: 'identity.link_failed' },
      });
      expect(failed.metadata).toEqual({ provider: 'github', reason: 'reauthentication_required' });
    });

    it('refuses a provider account linked to another Intake account; nothing changes', async () => {
      const other = await gitHubOnlyOwner();
      const b = browser();
      const { id } = await b.signUp();
      github.user = { id: Number(other.github.id), login: 'someone' };
      github.emails = [{ email: other.github.email, primary: true, verified: true }];
      expect(landing(await b.signInWith('github'))).toBe(
        `${BROWSER_PATHS.dashboard}?error=identity_in_use`,
      );
      expect(await identitiesOf(b)).toEqual([]);
      expect(await identitiesOf(other.browser)).toHaveLength(1);
      const identity = await test.prisma.identity.findFirstOrThrow({
        where: { provider: 'github', subject: other.github.id },
      });
      expect(identity.userId).toBe(other.id);
      expect(identity.userId).not.toBe(id);
    });

    it('refuses a second account of a provider already linked', async () => {
      const owner = await gitHubOnlyOwner();
      nextGitHubUser();
      expect(landing(await owner.browser.signInWith('github'))).toBe(
        `${BROWSER_PATHS.dashboard}?error=provider_already_linked`,
      );
      expect(await identitiesOf(owner.browser)).toEqual([
        expect.objectContaining({ email: owner.github.email }),
      ]);
    });

    it('refuses when the browser signed out (or switched account) during the flow', async () => {
      const b = browser();
      const { id } = await b.signUp();
      nextGitHubUser();
      const { callback } = await b.authorize('github');
      expect((await b.json('POST', '/auth/logout')).status).toBe(204);
      const response = await b.request(callback);
      expect(landing(response)).toBe(`${BROWSER_PATHS.signIn}?error=session_changed`);
      expect(await test.prisma.identity.count({ where: { userId: id } })).toBe(0);
      expect(b.cookie('intake_session')).toBeUndefined();
    });

    it('refuses an unverified provider address here too', async () => {
      const b = browser();
      await b.signUp();
      nextGitHubUser();
      github.emails = [{ email: uniqueEmail(), primary: true, verified: false }];
      expect(landing(await b.signInWith('github'))).toBe(
        `${BROWSER_PATHS.dashboard}?error=email_unverified`,
      );
      expect(await identitiesOf(b)).toEqual([]);
    });
  });

  describe('listing and unlinking', () => {
    it('lists the account’s identities, oldest first, and nobody else’s', async () => {
      const owner = await gitHubOnlyOwner();
      const google = await nextGoogleUser();
      expect(landing(await owner.browser.signInWith('google'))).toBe(
        `${BROWSER_PATHS.dashboard}?linked=google`,
      );
      const listed = await identitiesOf(owner.browser);
      expect(listed.map((identity) => [identity.provider, identity.email])).toEqual([
        ['github', owner.github.email],
        ['google', google.email],
      ]);
      for (const identity of listed) {
        expect(Object.keys(identity).sort()).toEqual([
          'created_at',
          'email',
          'last_used_at',
          'provider',
        ]);
      }
      const stranger = browser();
      await stranger.signUp();
      expect(await identitiesOf(stranger)).toEqual([]);
    });

    it('unlinks: the provider account no longer signs in to this account', async () => {
      const b = browser();
      const { id, email } = await b.signUp();
      const linked = nextGitHubUser();
      await b.signInWith('github');
      const { status, body } = await b.json<{ identity: IdentityBody }>(
        'DELETE',
        '/account/identities/github',
      );
      expect(status).toBe(200);
      expect(body.identity).toEqual(
        expect.objectContaining({ provider: 'github', email: linked.email }),
      );
      expect(await identitiesOf(b)).toEqual([]);
      const event = await test.prisma.auditEvent.findFirstOrThrow({
        where: { userId: id, action: 'identity.unlinked' },
      });
      expect(event.metadata).toEqual({ provider: 'github' });
      // Signing in with it now makes its own account (its address is not this account's).
      const elsewhere = browser();
      expect(landing(await elsewhere.signInWith('github'))).toBe(BROWSER_PATHS.dashboard);
      const made = await test.prisma.user.findUniqueOrThrow({ where: { email: linked.email } });
      expect(made.id).not.toBe(id);
      expect(made.email).not.toBe(email);
    });

    it('never unlinks the last way to sign in (no password, no other identity)', async () => {
      const owner = await gitHubOnlyOwner();
      const refused = await owner.browser.json<{ error: { code: string; message: string } }>(
        'DELETE',
        '/account/identities/github',
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('conflict');
      expect(refused.body.error.message).toMatch(/only way to sign in/);
      expect(await identitiesOf(owner.browser)).toHaveLength(1);

      await nextGoogleUser();
      await owner.browser.signInWith('google');
      expect((await owner.browser.json('DELETE', '/account/identities/github')).status).toBe(200);
      expect((await owner.browser.json('DELETE', '/account/identities/google')).status).toBe(409);
      expect(await identitiesOf(owner.browser)).toEqual([
        expect.objectContaining({ provider: 'google' }),
      ]);
    });

    it('keeps one identity when two unlinks race on a password-less account', async () => {
      const owner = await gitHubOnlyOwner();
      await nextGoogleUser();
      await owner.browser.signInWith('google');
      const statuses = await Promise.all([
        owner.browser.json('DELETE', '/account/identities/github'),
        owner.browser.json('DELETE', '/account/identities/google'),
      ]);
      expect(statuses.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(await identitiesOf(owner.browser)).toHaveLength(1);
    });

    it('unlinks with a recent sign-in and the CSRF token only', async () => {
      const b = browser();
      const { id } = await b.signUp();
      nextGitHubUser();
      await b.signInWith('github');
      const csrf = b.csrf;
      b.csrf = '';
      expect((await b.json('DELETE', '/account/identities/github')).status).toBe(403);
      b.csrf = csrf;
      await test.prisma.session.updateMany({
        where: { userId: id },
        data: { authenticatedAt: new Date(Date.now() - 60 * 60_000) },
      });
      const stale = await b.json<{ error: { code: string } }>(
        'DELETE',
        '/account/identities/github',
      );
      expect(stale.status).toBe(403);
      expect(stale.body.error.code).toBe('reauthentication_required');
      await request(test.url).delete('/account/identities/github').expect(401);
      expect(await identitiesOf(b)).toHaveLength(1);
    });

    it('another user cannot see or unlink your identities (404, as for none)', async () => {
      const owner = await gitHubOnlyOwner();
      await nextGoogleUser();
      await owner.browser.signInWith('google');
      const stranger = browser();
      await stranger.signUp();
      for (const provider of ['github', 'google']) {
        const answer = await stranger.json<{ error: { code: string } }>(
          'DELETE',
          `/account/identities/${provider}`,
        );
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('not_found');
      }
      expect(await identitiesOf(stranger)).toEqual([]);
      expect(await identitiesOf(owner.browser)).toHaveLength(2);
    });

    it.each([
      ['an unknown provider', 'facebook'],
      ['a prototype key', '__proto__'],
      ['a constructor', 'constructor'],
      ['HTML', encodeURIComponent('<script>alert(1)</script>')],
      ['unicode', encodeURIComponent('gïthub')],
      ['a huge name', 'g'.repeat(5000)],
      ['the wrong case', 'GitHub'],
    ])('answers 404 for %s as the provider, and changes nothing', async (_, provider) => {
      const owner = await gitHubOnlyOwner();
      const answer = await owner.browser.json<{ error: { code: string; message: string } }>(
        'DELETE',
        `/account/identities/${provider}`,
      );
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
      expect(answer.body.error.message).not.toMatch(/script|gïthub|ggggg/);
      expect(await identitiesOf(owner.browser)).toHaveLength(1);
    });
  });
});
