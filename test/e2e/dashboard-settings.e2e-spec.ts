import request from 'supertest';
import { createHash } from 'node:crypto';
import { PASSWORD, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { totpCode } from '../support/two-factor';

/** The CSRF token a signed-in page carries in its forms. */
function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** The text of a copy block (`<pre id="...">`), unescaped. */
function copyBlock(html: string, id: string): string {
  const match = new RegExp(`<pre id="${id}"[^>]*><code>([^<]*)</code>`).exec(html);
  if (!match?.[1]) throw new Error(`no copy block ${id}`);
  return match[1]
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

describe('dashboard settings: API keys, security, confirming identity', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  const form = (user: SignedInUser, path: string, body: Record<string, string | string[]>) =>
    user.agent.post(path).type('form').send(body);

  describe('API keys', () => {
    it('creates a key shown once, stored as a hash, that works on the API', async () => {
      const user = await signUp(test);
      const page = await user.agent.get('/settings/api-keys').expect(200);
      expect(page.text).toContain('No API keys yet.');
      const created = await form(user, '/settings/api-keys', {
        _csrf: csrfOf(page.text),
        name: 'CI <script>',
        scopes: ['forms:read', 'submissions:read'],
        allowed_ips: '',
        expires_on: '',
      }).expect(200);
      expect(created.headers['cache-control']).toBe('no-store');
      const secret = copyBlock(created.text, 'secret');
      expect(secret).toMatch(/^ik_live_[A-Za-z0-9_-]{43}$/);
      expect(created.text).toContain('CI &lt;script>');
      await request(test.url)
        .get('/api/forms')
        .set('Authorization', `Bearer ${secret}`)
        .expect(200);
      await request(test.url)
        .post('/api/forms')
        .set('Authorization', `Bearer ${secret}`)
        .send({ name: 'x', slug: 'x' })
        .expect(403);
      const rows = await test.prisma.apiKey.findMany({ where: { userId: user.id } });
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(Buffer.from(rows[0]!.secretHash).equals(sha256(secret))).toBe(true);
      // The list shows prefix and last 4 only.
      const list = await user.agent.get('/settings/api-keys').expect(200);
      expect(list.text).not.toContain(secret);
      expect(list.text).toContain(secret.slice(-4));
    });

    it('refuses a key without scopes, with a bad IP or a past expiry, keeping the form', async () => {
      const user = await signUp(test);
      const refused = await form(user, '/settings/api-keys', {
        _csrf: user.csrf,
        name: '',
        allowed_ips: 'not-an-ip\n10.0.0.0/8',
        expires_on: '2001-01-01',
      }).expect(422);
      expect(refused.text).toContain('id="field-name-error"');
      expect(refused.text).toContain('id="field-scopes-error"');
      expect(refused.text).toContain('id="field-allowed_ips-error"');
      expect(refused.text).toContain('id="field-expires_on-error"');
      expect(refused.text).toContain('not-an-ip\n10.0.0.0/8');
      const unknownScope = await form(user, '/settings/api-keys', {
        _csrf: user.csrf,
        name: 'x',
        scopes: ['forms:read', 'admin:everything'],
        allowed_ips: '',
        expires_on: '',
      }).expect(422);
      expect(unknownScope.text).toContain('id="field-scopes-error"');
      expect(await test.prisma.apiKey.count({ where: { userId: user.id } })).toBe(0);
    });

    it('revokes a key at once; another user can neither see nor revoke it', async () => {
      const user = await signUp(test);
      const created = await form(user, '/settings/api-keys', {
        _csrf: user.csrf,
        name: 'to revoke',
        scopes: 'forms:read',
        allowed_ips: '',
        expires_on: '',
      }).expect(200);
      const secret = copyBlock(created.text, 'secret');
      const key = await test.prisma.apiKey.findFirstOrThrow({ where: { userId: user.id } });
      const other = await signUp(test);
      expect((await other.agent.get('/settings/api-keys').expect(200)).text).not.toContain(
        'to revoke',
      );
      await form(other, `/settings/api-keys/${key.id}/revoke`, { _csrf: other.csrf }).expect(404);
      await request(test.url)
        .get('/api/forms')
        .set('Authorization', `Bearer ${secret}`)
        .expect(200);
      const revoked = await form(user, `/settings/api-keys/${key.id}/revoke`, {
        _csrf: user.csrf,
      }).expect(303);
      expect(revoked.headers.location).toBe('/settings/api-keys?notice=revoked');
      await request(test.url)
        .get('/api/forms')
        .set('Authorization', `Bearer ${secret}`)
        .expect(401);
    });
  });

  describe('two-factor authentication', () => {
    it('enrols with the QR code’s secret, shows backup codes once, then signs in with a code', async () => {
      const user = await signUp(test);
      const before = await user.agent.get('/settings/security').expect(200);
      expect(before.text).toContain('Off.');
      const setup = await form(user, '/settings/security/2fa/setup', {
        _csrf: csrfOf(before.text),
      }).expect(200);
      expect(setup.text).toMatch(/<img class="qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
      const secret = copyBlock(setup.text, 'totp-secret');
      const wrong = await form(user, '/settings/security/2fa/confirm', {
        _csrf: csrfOf(setup.text),
        code: '000000',
      }).expect(422);
      expect(wrong.text).toContain('is incorrect or expired');
      expect(wrong.text).not.toContain(secret);
      const confirmed = await form(user, '/settings/security/2fa/confirm', {
        _csrf: csrfOf(setup.text),
        code: totpCode(secret),
      }).expect(200);
      const codes = copyBlock(confirmed.text, 'backup-codes').split('\n');
      expect(codes).toHaveLength(10);
      // The session rotated: the old token is refused, the page's new one works.
      await form(user, '/sign-out', { _csrf: csrfOf(setup.text) }).expect(403);
      const after = await user.agent.get('/settings/security').expect(200);
      expect(after.text).toContain('On.');
      const stored = await test.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(JSON.stringify(stored)).not.toContain(secret);
      for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code);

      const browser = request.agent(test.url);
      await browser
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: PASSWORD })
        .expect(303);
      const done = await browser
        .post('/sign-in/2fa')
        .type('form')
        .send({ code: codes[0] })
        .expect(303);
      expect(done.headers.location).toBe('/');

      const replaced = await form(user, '/settings/security/2fa/backup-codes', {
        _csrf: csrfOf(after.text),
        code: totpCode(secret, 1),
      }).expect(200);
      const fresh = copyBlock(replaced.text, 'backup-codes').split('\n');
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(codes[1]);

      const refused = await form(user, '/settings/security/2fa/disable', {
        _csrf: csrfOf(after.text),
        password: 'wrong password',
        code: totpCode(secret, -1),
      });
      expect([401, 422]).toContain(refused.status);
      expect(refused.text).toContain('role="alert"');
      const off = await form(user, '/settings/security/2fa/disable', {
        _csrf: csrfOf(after.text),
        password: PASSWORD,
        code: fresh[0]!,
      });
      expect(off.status).toBe(303);
      expect(off.headers.location).toBe('/settings/security?notice=two_factor_off');
      expect((await user.agent.get(off.headers.location!).expect(200)).text).toContain('Off.');
    });
  });

  describe('sessions and password', () => {
    it('lists sessions, signs one out, and signs out everywhere else', async () => {
      const user = await signUp(test);
      const second = request.agent(test.url);
      await second.post('/sign-in').type('form').send({ email: user.email, password: PASSWORD });
      const third = request.agent(test.url);
      await third.post('/sign-in').type('form').send({ email: user.email, password: PASSWORD });
      const page = await user.agent.get('/settings/security').expect(200);
      expect(page.text.match(/class="card-title" id="session-/g)).toHaveLength(3);
      expect(page.text).toContain('This browser');
      const [one] = await test.prisma.session.findMany({
        where: { userId: user.id },
        orderBy: { createdAt: 'desc' },
        take: 1,
      });
      const other = await signUp(test);
      await form(other, `/settings/security/sessions/${one!.id}/revoke`, {
        _csrf: other.csrf,
      }).expect(404);
      await form(user, `/settings/security/sessions/${one!.id}/revoke`, {
        _csrf: csrfOf(page.text),
      }).expect(303);
      await third.get('/').expect(303);
      await second.get('/').expect(200);
      const everywhere = await form(user, '/settings/security/sessions/revoke-others', {
        _csrf: csrfOf(page.text),
      }).expect(303);
      expect(everywhere.headers.location).toBe('/settings/security?notice=others_revoked');
      await second.get('/').expect(303);
      await user.agent.get('/').expect(200);
    });

    it('changes the password: refusals on the form, then a fresh session', async () => {
      const user = await signUp(test);
      const page = await user.agent.get('/settings/security').expect(200);
      const weak = await form(user, '/settings/security/password', {
        _csrf: csrfOf(page.text),
        current_password: PASSWORD,
        new_password: 'short',
      }).expect(422);
      expect(weak.text).toContain('id="field-new_password-error"');
      const wrong = await form(user, '/settings/security/password', {
        _csrf: csrfOf(page.text),
        current_password: 'not my password',
        new_password: 'a much longer new passphrase',
      });
      expect([401, 422]).toContain(wrong.status);
      expect(wrong.text).toContain('role="alert"');
      const changed = await form(user, '/settings/security/password', {
        _csrf: csrfOf(page.text),
        current_password: PASSWORD,
        new_password: 'a much longer new passphrase',
      }).expect(303);
      expect(changed.headers.location).toBe('/settings/security?notice=password_changed');
      expect((await user.agent.get(changed.headers.location!).expect(200)).text).toContain(
        'Password changed.',
      );
    });
  });

  describe('connected accounts', () => {
    it('lists a linked identity and disconnects it; another user cannot', async () => {
      const user = await signUp(test);
      await test.prisma.identity.create({
        data: { userId: user.id, provider: 'github', subject: `gh-${user.id}`, email: user.email },
      });
      const page = await user.agent.get('/settings/security').expect(200);
      expect(page.text).toContain(`GitHub: ${user.email}`);
      const other = await signUp(test);
      await form(other, '/settings/security/identities/github/unlink', {
        _csrf: other.csrf,
      }).expect(404);
      await form(user, '/settings/security/identities/myspace/unlink', {
        _csrf: user.csrf,
      }).expect(404);
      const unlinked = await form(user, '/settings/security/identities/github/unlink', {
        _csrf: csrfOf(page.text),
      }).expect(303);
      expect(unlinked.headers.location).toBe('/settings/security?notice=identity_unlinked');
      expect(await test.prisma.identity.count({ where: { userId: user.id } })).toBe(0);
    });

    it('offers to connect the configured providers only', async () => {
      const social = await startTestApp({
        GITHUB_CLIENT_ID: 'github-id',
        GITHUB_CLIENT_SECRET: 'github-secret',
      });
      try {
        const user = await signUp(social);
        const page = await user.agent.get('/settings/security').expect(200);
        expect(page.text).toContain('href="/auth/github"');
        expect(page.text).not.toContain('href="/auth/google"');
      } finally {
        await social.close();
      }
    });
  });

  describe('confirming identity before sensitive actions', () => {
    let stale: TestApp;

    beforeAll(async () => {
      stale = await startTestApp({ REAUTH_WINDOW_MINUTES: '1' });
    });
    afterAll(() => stale.close());

    it('sends a stale session to confirm first, then back to the page it came from', async () => {
      const user = await signUp(stale);
      // Make the last proof older than the window.
      await stale.prisma.session.updateMany({
        where: { userId: user.id },
        data: { authenticatedAt: new Date(Date.now() - 5 * 60_000) },
      });
      const page = await user.agent.get('/settings/api-keys').expect(200);
      const detour = await user.agent
        .post('/settings/api-keys')
        .set('Referer', `${stale.url}/settings/api-keys`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), name: 'k', allowed_ips: '', expires_on: '' })
        .expect(303);
      expect(detour.headers.location).toBe(
        '/settings/confirm-identity?next=%2Fsettings%2Fapi-keys',
      );
      const confirm = await user.agent.get(detour.headers.location!).expect(200);
      expect(confirm.text).toContain('value="/settings/api-keys"');
      const wrong = await user.agent
        .post('/settings/confirm-identity')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text), next: '/settings/api-keys', password: 'nope' });
      expect([401, 422]).toContain(wrong.status);
      const back = await user.agent
        .post('/settings/confirm-identity')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text), next: '/settings/api-keys', password: PASSWORD })
        .expect(303);
      expect(back.headers.location).toBe('/settings/api-keys');
      await user.agent
        .post('/settings/api-keys')
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          name: 'k',
          scopes: 'forms:read',
          allowed_ips: '',
          expires_on: '',
        })
        .expect(200);
    });

    it('never sends the browser back to another site', async () => {
      const user = await signUp(stale);
      for (const next of [
        'https://evil.example/',
        '//evil.example/x',
        '/api/forms',
        'javascript:alert(1)',
      ]) {
        const page = await user.agent
          .get(`/settings/confirm-identity?next=${encodeURIComponent(next)}`)
          .expect(200);
        expect(page.text).toContain('name="next" value="/"');
        const back = await user.agent
          .post('/settings/confirm-identity')
          .type('form')
          .send({ _csrf: csrfOf(page.text), next, password: PASSWORD })
          .expect(303);
        expect(back.headers.location).toBe('/');
      }
    });
  });
});
