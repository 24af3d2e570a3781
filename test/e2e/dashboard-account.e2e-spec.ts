import request from 'supertest';
import { PASSWORD, signUp, type SignedInUser } from '../support/accounts';
import { asText, ndjsonLines } from '../support/downloads';
import { startTestApp, type TestApp } from '../support/test-app';

/** The dashboard's audit log page and account page (export, deletion). */
describe('dashboard audit log and account pages', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  const post = (user: SignedInUser, path: string, body: Record<string, string>) =>
    user.agent.post(path).type('form').send(body);

  describe('audit log', () => {
    it('lists only the viewer’s own events, filtered by action, and exports the same', async () => {
      const ada = await signUp(test);
      const bob = await signUp(test);
      await post(bob, '/sign-in', { email: bob.email, password: 'wrong password!' });

      const page = await ada.agent.get('/audit-log').expect(200);
      expect(page.text).toContain('<code>user.signup</code>');
      expect(page.text).not.toContain(bob.email);
      expect(page.text).toContain('aria-current="page">Audit log');

      const filtered = await ada.agent.get('/audit-log?action=form.').expect(200);
      expect(filtered.text).not.toContain('<code>user.signup</code>');
      expect(filtered.text).toContain('href="/audit-log/export?action=form."');

      const exported = await ada.agent
        .get('/audit-log/export?action=user.')
        .buffer(true)
        .parse(asText)
        .expect(200);
      expect(exported.headers['content-type']).toContain('application/x-ndjson');
      const lines = ndjsonLines(exported.body as string) as { action: string }[];
      expect(lines.map((line) => line.action)).toContain('user.signup');
      expect(lines.every((line) => line.action.startsWith('user.'))).toBe(true);
    });

    it('refuses hostile filters with a clear page and never echoes them', async () => {
      const ada = await signUp(test);
      for (const action of ['<script>alert(1)</script>', "' OR 1=1 --", 'x'.repeat(10_000)]) {
        const refused = await ada.agent.get(`/audit-log?action=${encodeURIComponent(action)}`);
        expect(refused.status).toBe(400);
        expect(refused.text).not.toContain('<script>alert');
        expect(refused.text).not.toContain('OR 1=1');
      }
      await ada.agent.get('/audit-log?page=-1').expect(400);
      await ada.agent.get('/audit-log?page=abc').expect(400);
    });

    it('sends the signed-out to sign in', async () => {
      const response = await request(test.url).get('/audit-log').expect(303);
      expect(response.headers.location).toBe('/sign-in');
    });
  });

  describe('account', () => {
    it('exports the whole account as JSON from the page', async () => {
      const ada = await signUp(test);
      const page = await ada.agent.get('/settings/account').expect(200);
      expect(page.text).toContain('href="/settings/account/export"');
      const exported = await ada.agent
        .get('/settings/account/export')
        .buffer(true)
        .parse(asText)
        .expect(200);
      expect(exported.headers['content-disposition']).toMatch(/^attachment; filename=/);
      const archive = JSON.parse(exported.body as string) as { profile: { email: string } };
      expect(archive.profile.email).toBe(ada.email);
      expect(exported.body as string).not.toContain(PASSWORD);
    });

    it('deletes the account after the password, and only that account', async () => {
      const ada = await signUp(test);
      const bob = await signUp(test);

      // Without the CSRF token, or with a wrong password, nothing is deleted.
      await post(ada, '/settings/account/delete', { password: PASSWORD }).expect(403);
      const wrong = await post(ada, '/settings/account/delete', {
        _csrf: ada.csrf,
        password: 'not my password',
      });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('role="alert"');
      expect(wrong.text).not.toContain('not my password');
      const hostile = await post(ada, '/settings/account/delete', {
        _csrf: ada.csrf,
        password: PASSWORD,
        __proto__: 'x',
        admin: 'true',
      });
      expect(hostile.status).toBe(422);
      await ada.agent.get('/settings/account').expect(200);

      const deleted = await post(ada, '/settings/account/delete', {
        _csrf: ada.csrf,
        password: PASSWORD,
      }).expect(303);
      expect(deleted.headers.location).toBe('/sign-in?notice=account_deleted');
      const signIn = await ada.agent.get(deleted.headers.location).expect(200);
      expect(signIn.text).toContain('Your account and all its data are deleted.');
      expect((await ada.agent.get('/settings/account')).status).toBe(303);
      await request(test.url)
        .post('/auth/login')
        .send({ email: ada.email, password: PASSWORD })
        .expect(401);

      // Bob's account is untouched.
      await bob.agent.get('/settings/account').expect(200);
    });
  });

  describe('connected AI clients', () => {
    it('lists none for a new account, and refuses to disconnect what is not the viewer’s', async () => {
      const ada = await signUp(test);
      const page = await ada.agent.get('/settings/security').expect(200);
      expect(page.text).toContain('No AI client (MCP) is connected.');
      const unknown = '0193a3c4-1f2e-7a00-8000-000000000000';
      await post(ada, `/settings/security/ai-clients/${unknown}/disconnect`, {
        _csrf: ada.csrf,
      }).expect(404);
      // A malformed id is not found either (no oracle for what ids look like).
      await post(ada, '/settings/security/ai-clients/not-a-uuid/disconnect', {
        _csrf: ada.csrf,
      }).expect(404);
      await post(ada, `/settings/security/ai-clients/${unknown}/disconnect`, {}).expect(403);
    });
  });
});
